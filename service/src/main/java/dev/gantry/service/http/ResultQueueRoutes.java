package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.results.SdkQueues;
import io.javalin.Javalin;
import java.util.Map;

/**
 * {@code GET /v2/get_amqp_result_connection_url}: where Globus Compute's Executor reads its results, the
 * caller's queue prefix and a connection URL whose fresh credentials read only the caller's queues.
 */
public final class ResultQueueRoutes {
    private final SdkQueues queues;

    public ResultQueueRoutes(SdkQueues queues) {
        this.queues = queues;
    }

    public void register(Javalin app) {
        app.get("/v2/get_amqp_result_connection_url", ctx -> {
            dev.gantry.broker.results.ResultQueues.Endpoint e;
            try {
                e = queues.connectionFor(Auth.identity(ctx).id());
            } catch (IllegalStateException ex) {
                throw new GantryException(ApiError.SERVICE_UNAVAILABLE, ex.getMessage());
            }
            Replies.json(ctx, Map.of("queue_prefix", e.queuePrefix(), "connection_url", e.connectionUrl()));
        });
    }
}
