package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.AllowedFunctions;
import dev.gantry.protocol.api.BatchStatusRequest;
import dev.gantry.protocol.api.BatchStatusResponse;
import dev.gantry.protocol.api.DeleteResult;
import dev.gantry.protocol.api.EndpointRegistered;
import dev.gantry.protocol.api.EndpointRegistration;
import dev.gantry.protocol.api.FunctionRegistered;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.api.VersionInfo;
import dev.gantry.service.Cancellations;
import dev.gantry.service.Submissions;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.EndpointTarget;
import dev.gantry.service.store.FunctionStore;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.TaskAudit;
import dev.gantry.service.store.TaskLeases;
import dev.gantry.service.store.TaskStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The REST routes, with Globus Compute's paths. Each handler is a few lines over a store. */
public final class Routes {
    public static final String VERSION = "0.1.0";

    /** How long a locked endpoint stays locked. */
    static final long LOCK_MS = 60_000;

    /**
     * The oldest Globus Compute SDK this service serves: 2.3.0 moved submits to {@code /v3/endpoints/{id}/submit},
     * the only submit route here (older ones post to {@code /v2/submit}).
     */
    static final String MIN_GLOBUS_COMPUTE_SDK = "2.3.0";

    private final FunctionStore functions;
    private final EndpointStore endpoints;
    private final TaskStore tasks;
    private final Submissions submissions;
    private final long maxBody;
    private final TaskLeases leases;
    private final Cancellations cancellations;
    private final Clock clock;
    private final int heartbeatPeriodMs;
    private final TaskViews views;
    private final dev.gantry.service.store.EndpointLocks locks;
    private final dev.gantry.service.channel.EndpointChannels channels;

    public Routes(
            FunctionStore functions,
            EndpointStore endpoints,
            TaskStore tasks,
            TaskLeases leases,
            Submissions submissions,
            Cancellations cancellations,
            long maxBody,
            int heartbeatPeriodMs,
            Clock clock,
            dev.gantry.service.store.WorkerRuntimes runtimes,
            dev.gantry.service.store.EndpointLocks locks,
            dev.gantry.service.channel.EndpointChannels channels,
            TaskAudit audit) {
        this.views = new TaskViews(runtimes, endpoints, audit, clock, VERSION);
        this.locks = locks;
        this.channels = channels;
        this.clock = clock;
        this.cancellations = cancellations;
        this.leases = leases;
        this.functions = functions;
        this.endpoints = endpoints;
        this.tasks = tasks;
        this.submissions = submissions;
        this.maxBody = maxBody;
        this.heartbeatPeriodMs = heartbeatPeriodMs;
    }

    public void register(Javalin app) {
        app.get("/v2/version", this::version);
        app.post("/v3/functions", this::registerFunction);
        app.post("/v2/functions", this::registerFunction);
        app.get(
                "/v2/functions/{id}",
                ctx -> Replies.json(
                        ctx,
                        functions.get(Auth.identity(ctx), functionId(ctx)).orElseThrow(() -> functionNotFound(ctx))));
        app.delete("/v2/functions/{id}", ctx -> {
            if (!functions.delete(Auth.identity(ctx), functionId(ctx))) {
                throw functionNotFound(ctx);
            }
            Replies.json(ctx, DeleteResult.DONE);
        });
        app.post("/v3/endpoints", ctx -> registerEndpoint(ctx, null));
        app.put("/v3/endpoints/{id}", ctx -> registerEndpoint(ctx, endpointId(ctx)));
        app.get("/v2/endpoints", ctx -> Replies.json(ctx, endpoints.list(Auth.identity(ctx))));
        app.get(
                "/v2/endpoints/{id}",
                ctx -> Replies.json(
                        ctx,
                        endpoints.get(Auth.identity(ctx), endpointId(ctx)).orElseThrow(() -> endpointNotFound(ctx))));
        app.get(
                "/v2/endpoints/{id}/status",
                ctx -> Replies.json(
                        ctx,
                        endpoints
                                .status(Auth.identity(ctx), endpointId(ctx), clock.millis())
                                .orElseThrow(() -> endpointNotFound(ctx))));
        app.get("/v3/endpoints/{id}/allowed_functions", this::allowedFunctions);
        app.post("/v3/endpoints/{id}/lock", this::lockEndpoint);
        app.delete("/v2/endpoints/{id}", this::deleteEndpoint);
        app.delete("/v3/endpoints/{id}", this::deleteEndpoint);
        app.post(
                "/v3/endpoints/{id}/submit",
                ctx -> Replies.json(
                        ctx,
                        submissions.submit(
                                Auth.identity(ctx),
                                Auth.loginAt(ctx),
                                endpointId(ctx),
                                Bodies.read(ctx, SubmitRequest.class, maxBody, ApiError.TASK_PAYLOAD_TOO_LARGE))));
        app.get("/v2/tasks/{id}", ctx -> {
            TaskId id = TaskId.of(ctx.pathParam("id"));
            TaskStatus s = tasks.status(Auth.identity(ctx), id)
                    .orElseThrow(() -> new GantryException(ApiError.TASK_NOT_FOUND, "task " + id + " not found"));
            Replies.json(ctx, views.show(ctx, s.withAttempts(leases.attempts(id))));
        });
        app.post(
                "/v3/tasks/{id}/cancel",
                ctx -> Replies.json(ctx, cancellations.cancel(Auth.identity(ctx), TaskId.of(ctx.pathParam("id")))));
        app.post("/v2/batch_status", this::batchStatus);
        app.get(
                "/v2/taskgroup/{id}",
                ctx -> Replies.json(
                        ctx,
                        tasks.group(Auth.identity(ctx), TaskGroupId.of(ctx.pathParam("id")))
                                .orElseThrow(() -> new GantryException(
                                        ApiError.TASK_GROUP_NOT_FOUND,
                                        "task group " + ctx.pathParam("id") + " not found"))));
    }

    private void version(Context ctx) {
        if ("all".equals(ctx.queryParam("service"))) {
            Replies.json(ctx, new VersionInfo(VERSION, MIN_GLOBUS_COMPUTE_SDK, MIN_GLOBUS_COMPUTE_SDK, "dev"));
        } else {
            Replies.json(ctx, VERSION);
        }
    }

    private void registerFunction(Context ctx) {
        FunctionRegistration r = Bodies.read(ctx, FunctionRegistration.class, maxBody, ApiError.REQUEST_TOO_LARGE);
        if (r.haEndpointId() != null) {
            // pinned to an endpoint the caller may submit to (a multi-user manager's users too) or manages, which
            // must be high-assurance
            Identity who = Auth.identity(ctx);
            EndpointTarget pin = endpoints
                    .target(r.haEndpointId())
                    .filter(t -> t.usableBy(who) || endpoints.get(who, t.id()).isPresent())
                    .orElseThrow(() -> new GantryException(
                            ApiError.ENDPOINT_NOT_FOUND, "endpoint " + r.haEndpointId() + " not found"));
            if (!pin.highAssurance()) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "ha_endpoint_id " + r.haEndpointId() + " is not a high-assurance endpoint");
            }
        }
        Replies.json(ctx, new FunctionRegistered(functions.register(Auth.identity(ctx), r)));
    }

    private void registerEndpoint(Context ctx, EndpointId id) {
        EndpointRegistration r = Bodies.read(ctx, EndpointRegistration.class, maxBody, ApiError.REQUEST_TOO_LARGE);
        if (id != null) {
            channels.refuseIfLocked(id);
        }
        EndpointId eid = endpoints.register(Auth.identity(ctx), id, r);
        Replies.json(
                ctx,
                new EndpointRegistered(
                        eid,
                        "/v3/endpoints/" + eid + "/channel",
                        heartbeatPeriodMs,
                        Auth.identity(ctx).id().toString()));
    }

    /** The endpoint's allow-list, for whoever may submit to it. */
    private void allowedFunctions(Context ctx) {
        EndpointTarget t = endpoints
                .target(endpointId(ctx))
                .filter(e -> e.usableBy(Auth.identity(ctx)))
                .orElseThrow(() -> endpointNotFound(ctx));
        Replies.json(
                ctx,
                new AllowedFunctions(
                        t.id(), t.allowed() != null, t.allowed() == null ? null : java.util.List.copyOf(t.allowed())));
    }

    /**
     * Globus Compute's {@code stop_endpoint}: the owner or an admin locks the endpoint for {@link #LOCK_MS}, and its channels
     * are told to stop; until the lock expires it can neither connect nor register again.
     */
    private void lockEndpoint(Context ctx) {
        EndpointId id = endpointId(ctx);
        long until = clock.millis() + LOCK_MS;
        if (!locks.lock(Auth.identity(ctx).id(), id, until)) {
            throw endpointNotFound(ctx);
        }
        channels.stop(
                id, "locked by " + Auth.identity(ctx).username() + " until " + java.time.Instant.ofEpochMilli(until));
        Replies.json(ctx, Map.of("endpoint_id", id.toString(), "lock_expiration_timestamp", until / 1000.0));
    }

    private void deleteEndpoint(Context ctx) {
        if (!endpoints.delete(Auth.identity(ctx), endpointId(ctx))) {
            throw endpointNotFound(ctx);
        }
        Replies.json(ctx, DeleteResult.DONE);
    }

    private void batchStatus(Context ctx) {
        BatchStatusRequest r = Bodies.read(ctx, BatchStatusRequest.class, maxBody, ApiError.REQUEST_TOO_LARGE);
        Map<String, TaskStatus> out = new LinkedHashMap<>();
        for (TaskStatus s : views.show(
                ctx,
                tasks.statuses(
                        Auth.identity(ctx),
                        r.taskIds().stream()
                                .map(TaskId::value)
                                .<UUID>map(u -> u)
                                .distinct()
                                .toList()))) {
            out.put(s.taskId().toString(), s);
        }
        Replies.json(ctx, new BatchStatusResponse(out));
    }

    private static FunctionId functionId(Context ctx) {
        return FunctionId.of(ctx.pathParam("id"));
    }

    private static EndpointId endpointId(Context ctx) {
        return EndpointId.of(ctx.pathParam("id"));
    }

    private static GantryException functionNotFound(Context ctx) {
        return new GantryException(ApiError.FUNCTION_NOT_FOUND, "function " + ctx.pathParam("id") + " not found");
    }

    private static GantryException endpointNotFound(Context ctx) {
        return new GantryException(ApiError.ENDPOINT_NOT_FOUND, "endpoint " + ctx.pathParam("id") + " not found");
    }
}
