package dev.gantry.protocol.api;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import java.util.Map;

/**
 * A task as {@code GET /v2/tasks/{id}} shows it: Globus Compute's {@code status}, {@code result} (a
 * strategy-tagged buffer), {@code exception} (the remote stack trace) and {@code completion_t}; Gantry adds
 * the error code, the remote exception's class and the task group.
 */
public record TaskStatus(TaskId taskId, String status, boolean pending, String result, String exception,
        String completionT, ErrorCode errorCode, String exceptionType, TaskGroupId taskGroupId, Details details) {

    /** Epoch seconds of each transition the task went through, by state name. */
    public record Details(Map<String, Double> taskTransitions) {}
}
