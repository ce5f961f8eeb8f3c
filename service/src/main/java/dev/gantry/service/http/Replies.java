package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.ErrorBody;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON replies and the error envelope. */
final class Replies {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);
    static final String ERROR_WRITTEN = "gantry.error";

    private Replies() {}

    static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.writeBytes(body));
    }

    static void error(Context ctx, ApiError code, String message) {
        ctx.attribute(ERROR_WRITTEN, Boolean.TRUE);
        ctx.status(code.httpStatus());
        json(ctx, ErrorBody.of(code, message));
    }

    static void failure(Exception e, Context ctx) {
        if (e instanceof GantryException g) {
            if (g.code().httpStatus() >= 500) {
                log.error("{} {} failed: {}", ctx.method(), ctx.path(), g.getMessage(), g);
            }
            error(ctx, g.code().httpStatus() == 0 ? ApiError.INTERNAL_ERROR : g.code(), g.getMessage());
        } else {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, ApiError.INTERNAL_ERROR, "the service failed; the error is in its log");
        }
    }
}
