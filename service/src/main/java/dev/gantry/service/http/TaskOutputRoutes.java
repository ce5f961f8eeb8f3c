package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskOutput;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.service.store.TaskOutputs;
import dev.gantry.service.store.TaskStore;
import io.javalin.Javalin;

/**
 * {@code GET /v3/tasks/{id}/output?from=N}: what the caller's task wrote (its latest attempt), as the service keeps
 * it, from byte {@code from} (default 0), up to {@link #MAX_READ} bytes a call. Another identity's task is
 * {@code TASK_NOT_FOUND}, as everywhere.
 */
public final class TaskOutputRoutes {
    static final int MAX_READ = 1024 * 1024;
    private final TaskStore tasks;
    private final TaskOutputs outputs;

    public TaskOutputRoutes(TaskStore tasks, TaskOutputs outputs) {
        this.tasks = tasks;
        this.outputs = outputs;
    }

    public void register(Javalin app) {
        app.get("/v3/tasks/{id}/output", ctx -> {
            TaskId id = TaskId.of(ctx.pathParam("id"));
            TaskStatus s = tasks.status(Auth.identity(ctx), id)
                    .orElseThrow(() -> new GantryException(ApiError.TASK_NOT_FOUND, "task " + id + " not found"));
            long from = from(ctx.queryParam("from"));
            TaskOutputs.Read r = outputs.read(id, from, MAX_READ);
            Replies.json(ctx, new TaskOutput(id, r.attempt(), r.offset(), r.next(), r.text(), !s.pending()));
        });
    }

    private static long from(String v) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new GantryException(
                ApiError.SEMANTICALLY_INVALID, "from must be a byte offset (0 or more), not '" + v + "'");
    }
}
