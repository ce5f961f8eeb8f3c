package dev.gantry.protocol.api;

import dev.gantry.protocol.ApiError;
import java.util.List;

/** Globus Compute's error envelope: every 4xx and 5xx of the service has this body. */
public record ErrorBody(
        String status, String code, List<String> errorArgs, int httpStatusCode, String detail, String reason) {
    public static ErrorBody of(ApiError code, String message) {
        return new ErrorBody("Failed", code.name(), List.of(), code.httpStatus(), message, message);
    }
}
