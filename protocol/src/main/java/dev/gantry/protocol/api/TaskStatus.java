package dev.gantry.protocol.api;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import java.util.Map;

/**
 * A task as {@code GET /v2/tasks/{id}} shows it: Globus Compute's {@code status}, {@code result} (a
 * strategy-tagged buffer), {@code exception} (the remote stack trace) and {@code completion_t}; Gantry adds
 * the error code, the remote exception's class and the task group.
 */
public record TaskStatus(
        TaskId taskId,
        String status,
        boolean pending,
        String result,
        String exception,
        String completionT,
        FailureCode errorCode,
        String exceptionType,
        TaskGroupId taskGroupId,
        Details details) {

    /**
     * Epoch seconds of each transition the task went through, by state name, and (for one task looked up by
     * id) its earlier attempts: those that ended without ending it, and the last one if it failed after them.
     */
    public record Details(Map<String, Double> taskTransitions, java.util.List<Attempt> attempts) {
        public Details(Map<String, Double> taskTransitions) {
            this(taskTransitions, null);
        }
    }

    /** One attempt of a task: why it ended, and when (epoch seconds). */
    public record Attempt(int attempt, FailureCode errorCode, String reason, Double started, double ended) {}

    /** This status with the task's attempts added to its details. */
    public TaskStatus withAttempts(java.util.List<Attempt> attempts) {
        return new TaskStatus(
                taskId,
                status,
                pending,
                result,
                exception,
                completionT,
                errorCode,
                exceptionType,
                taskGroupId,
                new Details(details == null ? Map.of() : details.taskTransitions(), attempts));
    }
}
