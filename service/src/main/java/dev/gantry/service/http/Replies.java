package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.ErrorBody;
import io.javalin.http.Context;
import org.eclipse.jetty.http.BadMessageException;
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
        if (e instanceof RateLimits.Refused r) {
            ctx.header("Retry-After", Long.toString(r.retryAfterSeconds()));
        }
        if (e instanceof GantryException g) {
            if (g.code().httpStatus() >= 500) {
                log.error("{} {} failed: {}", ctx.method(), ctx.path(), g.getMessage(), g);
            }
            error(ctx, g.code().httpStatus() == 0 ? ApiError.INTERNAL_ERROR : g.code(), g.getMessage());
        } else if (badMessage(e) instanceof BadMessageException bad) {
            // Jetty gave up reading the request: a body slower than the minimum rate (408), or one it cannot parse
            log.info("{} {} from {}: {}", ctx.method(), ctx.path(), ctx.ip(), bad.getReason());
            if (bad.getCode() == ApiError.REQUEST_TIMEOUT.httpStatus()) {
                error(
                        ctx,
                        ApiError.REQUEST_TIMEOUT,
                        "the request body arrived slower than " + HttpServer.MIN_BODY_BYTES_PER_S
                                + " bytes a second and was cut off");
            } else {
                error(ctx, ApiError.INVALID_JSON, "the request could not be read: " + bad.getReason());
            }
        } else {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, ApiError.INTERNAL_ERROR, "the service failed; the error is in its log");
        }
    }

    /** {@code e} or the cause that is Jetty's verdict on the request itself, if any. */
    private static Throwable badMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadMessageException) {
                return t;
            }
        }
        return null;
    }
}
