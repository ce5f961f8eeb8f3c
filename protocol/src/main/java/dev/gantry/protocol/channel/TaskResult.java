package dev.gantry.protocol.channel;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;

/**
 * The outcome of one attempt of a task. On success {@code data} is the strategy-tagged result; on failure it
 * is the remote stack trace, and {@code error} says why. Checked where it is decoded: a task and an attempt
 * are required, times are not negative, and a failure's texts are cut to what the service stores.
 */
public record TaskResult(TaskId task, int attempt, String data, Failure error, long startedAtMs, long completedAtMs) {

    public TaskResult {
        Limits.required("task", task);
        Limits.within("attempt", attempt, 1, Integer.MAX_VALUE);
        Limits.within("started_at_ms", startedAtMs, 0, Long.MAX_VALUE);
        Limits.within("completed_at_ms", completedAtMs, 0, Long.MAX_VALUE);
    }

    public boolean failed() {
        return error != null;
    }

    /** Why a task failed: a stable code, a message for the user, and the remote exception's class if any. */
    public record Failure(FailureCode code, String userMessage, String exceptionType) {
        public Failure {
            Limits.required("code", code);
            userMessage = Limits.cut(userMessage, Limits.MAX_FAILURE_MESSAGE_CHARS);
            exceptionType = Limits.cut(exceptionType, Limits.MAX_EXCEPTION_TYPE_CHARS);
        }
    }
}
