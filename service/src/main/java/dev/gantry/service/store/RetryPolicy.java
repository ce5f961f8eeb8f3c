package dev.gantry.service.store;

import dev.gantry.protocol.FailureCode;

/**
 * Whether a lost or failed attempt runs again: the one retry rule, a pure function of the failure and the
 * task's options. System failures (a worker, the endpoint or a block lost) are retried; a user error only for
 * tasks that asked; either only while the task has retries left.
 */
public final class RetryPolicy {
    private RetryPolicy() {}

    /** A task's retry options: its own limit or else its endpoint's, and whether its user errors retry too. */
    public record Options(int maxRetries, boolean retryUserErrors) {}

    /** Whether {@code code} is a failure that may be retried at all, whatever the task's options. */
    public static boolean mayRetry(FailureCode code) {
        return code.retryable() || code == FailureCode.REMOTE_EXECUTION_ERROR;
    }

    /** Whether attempt {@code attempt}, which ended with {@code code}, is followed by another. */
    public static boolean retries(FailureCode code, int attempt, Options options) {
        boolean retryable =
                code.retryable() || (options.retryUserErrors() && code == FailureCode.REMOTE_EXECUTION_ERROR);
        return retryable && attempt <= options.maxRetries();
    }
}
