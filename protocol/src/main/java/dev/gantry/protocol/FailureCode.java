package dev.gantry.protocol;

/**
 * Why a task failed, as its status and its result carry it (Globus Compute's names): user code raised, the
 * task could not start, the result was too large, the task ran past {@code GANTRY_TASK_TIMEOUT}, ... Not an
 * HTTP error: those are {@link ApiError}s.
 */
public enum FailureCode {
    REMOTE_EXECUTION_ERROR,
    COULD_NOT_EXECUTE_TASK,
    MAX_RESULT_SIZE_EXCEEDED,
    FUNCTION_UNAVAILABLE,
    TASK_EXPIRED,
    COMPILE_ERROR,
    SERIALIZER_NOT_ALLOWED,
    /** The endpoint itself refused a function its {@code allowed_functions} does not list. */
    FUNCTION_NOT_ALLOWED,
    TASK_TIMEOUT,
    /**
     * System failures (retried up to the task's limit): the worker process, the endpoint, or the batch job of
     * the pilot block the task ran on (cancelled, timed out, or failed) was lost.
     */
    WORKER_LOST,
    ENDPOINT_LOST,
    BLOCK_ENDED,
    /** The pilot engine's scheduler refused its blocks again and again: the task had nowhere to run. */
    PROVIDER_ERROR,
    TASK_CANCELLED;

    /** Failures of the system rather than of the user's code: a task is retried after them. */
    public boolean retryable() {
        return this == WORKER_LOST || this == ENDPOINT_LOST || this == BLOCK_ENDED;
    }
}
