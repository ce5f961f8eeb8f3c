package dev.gantry.protocol.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.TaskGroupId;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v3/endpoints/{id}/submit} (Globus Compute's BatchSubmitRequest): payloads grouped by
 * function id, in request order. Function ids are checked by the service, which owns the 404s.
 */
public record SubmitRequest(TaskGroupId taskGroupId, boolean createQueue, Map<String, List<String>> tasks,
        JsonNode userEndpointConfig, JsonNode resourceSpecification, JsonNode userRuntime,
        List<String> resultSerializers) {
    public static final int MAX_TASKS = 100_000;

    public SubmitRequest {
        if (tasks == null || tasks.isEmpty()) {
            throw Check.invalid("tasks must name at least one function with at least one payload");
        }
        long count = 0;
        for (Map.Entry<String, List<String>> e : tasks.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw Check.invalid("tasks." + e.getKey() + " must hold at least one payload");
            }
            for (String payload : e.getValue()) {
                if (payload == null) {
                    throw Check.invalid("tasks." + e.getKey() + " holds a null payload");
                }
            }
            count += e.getValue().size();
        }
        if (count > MAX_TASKS) {
            throw Check.invalid("a batch holds at most " + MAX_TASKS + " tasks, this one " + count);
        }
    }

    public int taskCount() {
        return tasks.values().stream().mapToInt(List::size).sum();
    }
}
