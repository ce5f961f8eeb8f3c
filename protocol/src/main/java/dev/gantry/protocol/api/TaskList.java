package dev.gantry.protocol.api;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import java.util.List;
import java.util.Map;

/**
 * Reply of {@code GET /v3/tasks}: a page of the caller's tasks, newest first, with the number of all the tasks
 * the filters match in each state ({@code counts}, over every page) and the cursor of the next page
 * ({@code next}, passed back as {@code before}; null on the last page).
 */
public record TaskList(List<Entry> tasks, Map<String, Long> counts, long total, String next) {
    public TaskList {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /** One task: its state, where and what it runs, and when (seconds since the epoch). */
    public record Entry(
            TaskId taskId,
            String status,
            EndpointId endpointId,
            FunctionId functionId,
            TaskGroupId taskGroupId,
            int attempt,
            double createdAt,
            Double completedAt,
            FailureCode errorCode) {}
}
