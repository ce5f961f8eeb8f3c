package dev.gantry.sdk;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskId;

/**
 * A task failed on its endpoint. {@link #remoteType()} is the remote exception's class (null for failures
 * outside user code) and {@link #remoteStackTrace()} its stack trace as printed there.
 */
public final class TaskExecutionFailed extends GantryException {
    private final TaskId taskId;
    private final String remoteType;
    private final String remoteStackTrace;

    public TaskExecutionFailed(TaskId taskId, ErrorCode code, String remoteType, String remoteStackTrace) {
        super(code, "task " + taskId + " failed (" + code + ")" + (remoteType == null ? "" : ": " + remoteType)
                + (remoteStackTrace == null ? "" : "\n--- remote stack trace ---\n" + remoteStackTrace));
        this.taskId = taskId;
        this.remoteType = remoteType;
        this.remoteStackTrace = remoteStackTrace;
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
