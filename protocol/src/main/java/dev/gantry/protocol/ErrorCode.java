package dev.gantry.protocol;

/** Stable error codes, shared by the REST API, the SDK and the endpoint; each maps to one HTTP status. */
public enum ErrorCode {
    INVALID_JSON(400),
    INVALID_UUID(400),
    SEMANTICALLY_INVALID(422),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    /** The endpoint's {@code allowed_functions} does not list the function (checked at submit). */
    FUNCTION_NOT_PERMITTED(403),
    FUNCTION_NOT_FOUND(404),
    ENDPOINT_NOT_FOUND(404),
    TASK_NOT_FOUND(404),
    TASK_GROUP_NOT_FOUND(404),
    ROUTE_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    TASK_PAYLOAD_TOO_LARGE(413),
    REQUEST_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    ENDPOINT_QUEUE_FULL(429),
    IDEMPOTENCY_KEY_REUSED(409),
    SERVICE_UNAVAILABLE(503),
    /** A multi-user endpoint could not start the submitter's user endpoint; the message is the endpoint's reason. */
    USER_ENDPOINT_START_FAILED(422),
    /** The endpoint manager that would start the submitter's user endpoint is not connected. */
    ENDPOINT_MANAGER_OFFLINE(503),
    INTERNAL_ERROR(500),
    /**
     * Task outcomes (not HTTP): user code raised, the task could not start, the result was too large, the
     * task ran past {@code GANTRY_TASK_TIMEOUT}, ...
     */
    REMOTE_EXECUTION_ERROR(0),
    COULD_NOT_EXECUTE_TASK(0),
    MAX_RESULT_SIZE_EXCEEDED(0),
    FUNCTION_UNAVAILABLE(0),
    TASK_EXPIRED(0),
    COMPILE_ERROR(0),
    SERIALIZER_NOT_ALLOWED(0),
    /** The endpoint itself refused a function its {@code allowed_functions} does not list. */
    FUNCTION_NOT_ALLOWED(0),
    TASK_TIMEOUT(0),
    /**
     * System failures (retried up to the task's limit): the worker process, the endpoint, or the batch job of
     * the pilot block the task ran on (cancelled, timed out, or failed) was lost.
     */
    WORKER_LOST(0),
    ENDPOINT_LOST(0),
    BLOCK_ENDED(0),
    /** The pilot engine's scheduler refused its blocks again and again: the task had nowhere to run. */
    PROVIDER_ERROR(0),
    TASK_CANCELLED(0);

    /** Failures of the system rather than of the user's code: a task is retried after them. */
    public boolean systemFailure() {
        return this == WORKER_LOST || this == ENDPOINT_LOST || this == BLOCK_ENDED;
    }

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
