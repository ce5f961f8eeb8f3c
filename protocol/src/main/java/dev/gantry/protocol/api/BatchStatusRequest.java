package dev.gantry.protocol.api;

import dev.gantry.protocol.TaskId;
import java.util.List;

/** Body of {@code POST /v2/batch_status}. */
public record BatchStatusRequest(List<TaskId> taskIds) {
    public static final int MAX_IDS = 10_000;

    public BatchStatusRequest {
        if (taskIds == null) {
            throw Check.invalid("task_ids is required");
        }
        if (taskIds.size() > MAX_IDS) {
            throw Check.invalid("task_ids holds at most " + MAX_IDS + " ids");
        }
        taskIds = List.copyOf(taskIds);
    }
}
