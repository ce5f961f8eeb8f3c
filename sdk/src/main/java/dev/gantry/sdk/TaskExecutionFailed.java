package dev.gantry.sdk;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskId;

/**
 * A task failed on its endpoint. {@link #remoteType()} is the remote exception's class (null for failures
 * outside user code) and {@link #remoteStackTrace()} its stack trace as printed there. Not a
 * {@code GantryException}: those are the service's refusals, with an {@code ApiError}; this is a task's outcome.
 */
public final class TaskExecutionFailed extends RuntimeException {
    private final TaskId taskId;
    private final FailureCode code;
    private final String remoteType;
    private final String remoteStackTrace;

    public TaskExecutionFailed(TaskId taskId, FailureCode code, String remoteType, String remoteStackTrace) {
        super("task " + taskId + " failed (" + code + ")" + (remoteType == null ? "" : ": " + remoteType)
                + (remoteStackTrace == null ? "" : "\n--- remote stack trace ---\n" + remoteStackTrace));
        this.taskId = taskId;
        this.code = code;
        this.remoteType = remoteType;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** Why the task failed. */
    public FailureCode code() {
        return code;
    }

    public TaskId taskId() {
        return taskId;
    }

    public String remoteType() {
        return remoteType;
    }

    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
