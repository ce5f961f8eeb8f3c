package dev.gantry.protocol;

/** A failure a user can act on: a stable {@link ErrorCode} and a human message. Base of every module's errors. */
public class GantryException extends RuntimeException {
    private final ErrorCode code;

    public GantryException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public GantryException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
