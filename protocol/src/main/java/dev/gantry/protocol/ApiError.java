package dev.gantry.protocol;

/**
 * The REST API's stable error codes, each with its HTTP status; what a {@link GantryException} carries. How a
 * task failed is a {@link FailureCode}, a set of its own.
 */
public enum ApiError {
    INVALID_JSON(400),
    INVALID_UUID(400),
    SEMANTICALLY_INVALID(422),
    UNAUTHORIZED(401),
    /** The token's expiry has passed (an API token's, or a JWT's {@code exp}). */
    TOKEN_EXPIRED(401),
    /** A JWT whose {@code nbf} (not before) is still ahead. */
    TOKEN_NOT_YET_VALID(401),
    /** A JWT from an issuer the service is not configured to trust. */
    TOKEN_ISSUER_UNKNOWN(401),
    /** A JWT not meant for this service: its {@code aud} lacks the configured audience. */
    TOKEN_AUDIENCE_MISMATCH(401),
    /** A JWT signed with {@code none}, a symmetric algorithm, or another the service does not accept. */
    TOKEN_ALGORITHM_REFUSED(401),
    /** A JWT signed by a key its issuer's key set does not have (after fetching it again). */
    TOKEN_KEY_UNKNOWN(401),
    /** A JWT whose signature does not verify. */
    TOKEN_SIGNATURE_INVALID(401),
    /** A valid JWT without the scope the service requires. */
    TOKEN_SCOPE_MISSING(403),
    FORBIDDEN(403),
    /** The endpoint's {@code allowed_functions} does not list the function (checked at submit). */
    FUNCTION_NOT_PERMITTED(403),
    /** The submitter's identity provider domain is not one the endpoint's submit policy allows. */
    DOMAIN_NOT_ALLOWED(403),
    /** The submitter signed in longer ago than the endpoint's submit policy allows: sign in again. */
    LOGIN_TOO_OLD(403),
    FUNCTION_NOT_FOUND(404),
    ENDPOINT_NOT_FOUND(404),
    TASK_NOT_FOUND(404),
    TASK_GROUP_NOT_FOUND(404),
    /** No API token with that id, or not the caller's. */
    TOKEN_NOT_FOUND(404),
    /** A sharing group the caller does not belong to (or that does not exist). */
    GROUP_NOT_FOUND(404),
    /** A username or identity id the service does not know. */
    IDENTITY_NOT_FOUND(404),
    ROUTE_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    /** The request body arrived slower than the service's minimum rate, and was cut off. */
    REQUEST_TIMEOUT(408),
    TASK_PAYLOAD_TOO_LARGE(413),
    REQUEST_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    ENDPOINT_QUEUE_FULL(429),
    ENDPOINT_LOCKED(423),
    /** Another process of the endpoint holds its channel and is heard from; this one is refused. */
    ENDPOINT_ALREADY_CONNECTED(409),
    IDEMPOTENCY_KEY_REUSED(409),
    /** A first login whose username is another identity's already; that identity may link the login. */
    IDENTITY_CONFLICT(409),
    /** An endpoint registered again with another {@code high_assurance}: the flag never changes. */
    HIGH_ASSURANCE_IMMUTABLE(409),
    /** The caller sent more requests than its limit allows; {@code Retry-After} says when to try again. */
    RATE_LIMITED(429),
    SERVICE_UNAVAILABLE(503),
    /** The service cannot write its audit log, and takes no work for high-assurance endpoints until it can. */
    AUDIT_LOG_UNAVAILABLE(503),
    /** A multi-user endpoint could not start the submitter's user endpoint; the message is the endpoint's reason. */
    USER_ENDPOINT_START_FAILED(422),
    /** The endpoint manager that would start the submitter's user endpoint is not connected. */
    ENDPOINT_MANAGER_OFFLINE(503),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ApiError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
