package dev.gantry.protocol.channel;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.TaskId;

/**
 * The outcome of one attempt of a task. On success {@code data} is the strategy-tagged result; on failure it
 * is the remote stack trace, and {@code error} says why.
 */
public record TaskResult(TaskId task, int attempt, String data, Failure error, long startedAtMs, long completedAtMs) {

    public boolean failed() {
        return error != null;
    }

    /** Why a task failed: a stable code, a message for the user, and the remote exception's class if any. */
    public record Failure(ErrorCode code, String userMessage, String exceptionType) {}
}
