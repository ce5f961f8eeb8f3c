package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskState;
import dev.gantry.service.store.TaskListing;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.Function;

/**
 * {@code GET /v3/tasks}: the caller's tasks, newest first, filtered by {@code endpoint_id}, {@code task_group_id},
 * {@code function_id} and {@code status}, {@code limit} (1–1000, default 100) at a time from the cursor
 * {@code before}, with counts by state. Only the caller's own tasks are ever listed or counted.
 */
public final class TaskListRoutes {
    private final TaskListing listing;

    public TaskListRoutes(TaskListing listing) {
        this.listing = listing;
    }

    public void register(Javalin app) {
        app.get("/v3/tasks", ctx -> {
            TaskListing.Filter f = new TaskListing.Filter(
                    param(ctx, "endpoint_id", EndpointId::of),
                    param(ctx, "task_group_id", TaskGroupId::of),
                    param(ctx, "function_id", FunctionId::of),
                    param(ctx, "status", TaskState::fromWire));
            int limit = number(ctx, "limit", 100);
            if (limit < 1 || limit > TaskListing.MAX_PAGE) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID, "limit must be between 1 and " + TaskListing.MAX_PAGE);
            }
            String before = ctx.queryParam("before");
            Replies.json(
                    ctx,
                    listing.page(
                            Auth.identity(ctx), f, limit, before == null ? null : (long) number(ctx, "before", 0)));
        });
    }

    private static <T> T param(Context ctx, String name, Function<String, T> parse) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : parse.apply(v);
    }

    private static int number(Context ctx, String name, int otherwise) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, name + " must be a whole number, not '" + v + "'");
        }
    }
}
