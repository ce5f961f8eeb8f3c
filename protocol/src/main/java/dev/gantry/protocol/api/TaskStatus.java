package dev.gantry.protocol.api;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import java.util.Map;

/**
 * A task as {@code GET /v2/tasks/{id}} shows it: Globus Compute's {@code status}, {@code result} (a
 * strategy-tagged buffer), {@code exception} (the remote stack trace) and {@code completion_t}; Gantry adds
 * the error code, the remote exception's class and the task group. {@code high_assurance} true marks a notice
 * pushed for a task of a high-assurance endpoint: it says the task ended, without its result or exception, which
 * only an authenticated fetch returns ({@code GET /v2/tasks/{id}}, {@code POST /v2/batch_status}).
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
        Details details,
        Boolean highAssurance) {
    public TaskStatus(
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
        this(
                taskId,
                status,
                pending,
                result,
                exception,
                completionT,
                errorCode,
                exceptionType,
                taskGroupId,
                details,
                null);
    }

    /** This status as a high-assurance task's may be pushed: that it ended, without what it returned or raised. */
    public TaskStatus notice() {
        return new TaskStatus(
                taskId, status, pending, null, null, completionT, errorCode, null, taskGroupId, null, true);
    }

    /** Whether this is a {@link #notice()}: the result must be fetched. */
    public boolean withheld() {
        return Boolean.TRUE.equals(highAssurance);
    }

    /**
     * Epoch seconds of each transition the task went through, by state name, and (for one task looked up by
     * id) its earlier attempts: those that ended without ending it, and the last one if it failed after them.
     */
    public record Details(
            Map<String, Double> taskTransitions,
            java.util.List<Attempt> attempts,
            dev.gantry.protocol.EndpointId endpointId,
            String os,
            String pythonVersion,
            String dillVersion,
            String globusComputeSdkVersion) {
        public Details(Map<String, Double> taskTransitions) {
            this(taskTransitions, null, null, null, null, null, null);
        }

        public Details(Map<String, Double> taskTransitions, dev.gantry.protocol.EndpointId endpointId) {
            this(taskTransitions, null, endpointId, null, null, null, null);
        }

        /** These details with the task's earlier attempts. */
        public Details withAttempts(java.util.List<Attempt> attempts) {
            return new Details(
                    taskTransitions, attempts, endpointId, os, pythonVersion, dillVersion, globusComputeSdkVersion);
        }

        /**
         * These details with what the endpoint said of its workers' Python, as Globus Compute's workers report
         * it (its SDK compares Python and dill versions with its own); Gantry's version stands for the SDK's.
         */
        public Details withWorker(EndpointMetadata m, String gantryVersion) {
            return m == null
                    ? this
                    : new Details(
                            taskTransitions,
                            attempts,
                            endpointId,
                            m.os(),
                            m.pythonVersion(),
                            m.dillVersion(),
                            "gantry-" + gantryVersion);
        }
    }

    /** One attempt of a task: why it ended, and when (epoch seconds). */
    public record Attempt(int attempt, FailureCode errorCode, String reason, Double started, double ended) {}

    /** This status with the task's attempts added to its details. */
    public TaskStatus withAttempts(java.util.List<Attempt> attempts) {
        return withDetails((details == null ? new Details(Map.of()) : details).withAttempts(attempts));
    }

    /** This status with {@code d} as its details. */
    public TaskStatus withDetails(Details d) {
        return new TaskStatus(
                taskId, status, pending, result, exception, completionT, errorCode, exceptionType, taskGroupId, d);
    }

    /**
     * This status as Globus Compute's SDK must see it: its only terminal states are {@code success} and
     * {@code failed}, so a cancelled or expired task is {@code failed}, with the reason as its exception
     * (Gantry's own clients see the precise state and the error code says which).
     */
    public TaskStatus forGlobusCompute() {
        if (!pending && !status.equals("success") && !status.equals("failed")) {
            String why = exception != null ? exception : "the task ended " + status + " (" + errorCode + ")";
            return new TaskStatus(
                    taskId, "failed", false, null, why, completionT, errorCode, exceptionType, taskGroupId, details);
        }
        return this;
    }
}
