package dev.gantry.client;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;

/** The service refused a request (4xx/5xx) or could not be reached ({@code SERVICE_UNAVAILABLE}, status 0). */
public class ApiException extends GantryException {
    private final int httpStatus;

    public ApiException(ApiError code, int httpStatus, String message) {
        super(code, message);
        this.httpStatus = httpStatus;
    }

    public ApiException(ApiError code, int httpStatus, String message, Throwable cause) {
        super(code, message, cause);
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True when trying again later may succeed: the service was unreachable, overloaded or failed. */
    public boolean retryable() {
        return httpStatus == 0 || httpStatus == 429 || httpStatus >= 500;
    }
}
