package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies with a size limit that holds while the body streams in, then decodes them. */
final class Bodies {
    private Bodies() {}

    static <T> T read(Context ctx, Class<T> type, long limit, ApiError tooLarge) {
        String contentType = ctx.contentType();
        if (contentType != null
                && !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new GantryException(
                    ApiError.UNSUPPORTED_MEDIA_TYPE, "the body must be application/json, got " + contentType);
        }
        return Json.readBody(bytes(ctx, limit, tooLarge), type);
    }

    private static byte[] bytes(Context ctx, long limit, ApiError tooLarge) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(tooLarge, limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buf = new byte[65536];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw tooLarge(tooLarge, limit);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new GantryException(ApiError.INVALID_JSON, "the body could not be read: " + e.getMessage());
        }
    }

    private static GantryException tooLarge(ApiError code, long limit) {
        return new GantryException(code, "the request body is larger than the limit of " + limit + " bytes");
    }
}
