package dev.gantry.protocol;

/** A failure a user can act on: a stable {@link ApiError} and a human message. Base of every module's errors. */
public class GantryException extends RuntimeException {
    private final ApiError code;

    public GantryException(ApiError code, String message) {
        super(message);
        this.code = code;
    }

    public GantryException(ApiError code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ApiError code() {
        return code;
    }
}
