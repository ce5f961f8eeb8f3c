package dev.gantry.service;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Ids;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.api.SubmitResponse;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.payload.ResultSerializers;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.EndpointTarget;
import dev.gantry.service.store.FunctionStore;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.NewBatch;
import dev.gantry.service.store.NewTask;
import dev.gantry.service.store.TaskAudit;
import dev.gantry.service.store.TaskStore;
import dev.gantry.service.store.TaskSubmits;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a batch of tasks: checks everything first, stores the batch in one transaction, then queues it for
 * its endpoint. A reply of 2xx means the tasks are committed; if queueing fails after the commit they stay
 * {@code waiting-for-ep} in the database, marked unqueued, and the {@link Housekeeper} queues them later.
 */
public final class Submissions {
    private static final Logger log = LoggerFactory.getLogger(Submissions.class);
    private final EndpointStore endpoints;
    private final FunctionStore functions;
    private final TaskStore tasks;
    private final TaskSubmits submits;
    private final Broker broker;
    private final long queueCapacity;
    private final UserEndpointStarts userEndpoints;
    private final Clock clock;
    private final dev.gantry.service.results.SdkQueues sdkQueues;
    private final TaskAudit audit;

    public Submissions(
            EndpointStore endpoints,
            FunctionStore functions,
            TaskStore tasks,
            Broker broker,
            long queueCapacity,
            UserEndpointStarts userEndpoints,
            Clock clock,
            dev.gantry.service.results.SdkQueues sdkQueues,
            TaskAudit audit) {
        this.audit = audit;
        this.sdkQueues = sdkQueues;
        this.clock = clock;
        this.userEndpoints = userEndpoints;
        this.endpoints = endpoints;
        this.functions = functions;
        this.tasks = tasks;
        this.submits = new TaskSubmits(tasks.database(), clock);
        this.broker = broker;
        this.queueCapacity = queueCapacity;
    }

    /**
     * Stores and queues a batch. A submit to an endpoint manager goes to the submitter's user endpoint (started
     * first if need be); the reply names it as {@code endpoint_id}. The endpoint's submit policy is held against
     * {@code who}, signed in at {@code loginAtMs} (null: not known).
     */
    public SubmitResponse submit(Identity who, Long loginAtMs, EndpointId to, SubmitRequest request) {
        EndpointTarget target = endpoints
                .target(to)
                .filter(t -> t.usableBy(who))
                .orElseThrow(() -> new GantryException(ApiError.ENDPOINT_NOT_FOUND, "endpoint " + to + " not found"));
        if (target.policy() != null) {
            target.policy().check(who.username(), loginAtMs, clock.millis());
        }
        ResourceSpec resources = ResourceSpec.parse(request.resourceSpecification());
        List<String> serializers = ResultSerializers.parse(request.resultSerializers());
        List<NewTask> batch = new ArrayList<>(request.taskCount());
        Map<UUID, FunctionId> fnIds = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : request.tasks().entrySet()) {
            FunctionId fn = new FunctionId(Ids.parse("function id", e.getKey()));
            fnIds.put(fn.value(), fn);
            for (String payload : e.getValue()) {
                batch.add(new NewTask(fn, payload));
            }
        }
        requireFunctions(who, fnIds, target);
        for (FunctionId fn : fnIds.values()) {
            if (!target.permits(fn)) {
                throw new GantryException(
                        ApiError.FUNCTION_NOT_PERMITTED,
                        "function " + fn + " is not permitted on" + " endpoint " + to
                                + ": it is not in the endpoint's allowed_functions");
            }
        }
        EndpointId endpoint = target.manager() ? userEndpoints.userEndpointFor(who, target, request) : to;
        long depth = depth(endpoint);
        if (depth + batch.size() > queueCapacity) {
            throw new GantryException(
                    ApiError.ENDPOINT_QUEUE_FULL,
                    "endpoint " + endpoint + " has " + depth + " tasks queued and the limit is " + queueCapacity
                            + "; submit again when it has caught up");
        }
        NewBatch nb = new NewBatch(
                request.taskGroupId(),
                batch,
                resources,
                serializers,
                request.maxRetries(),
                request.retryUserErrors(),
                request.idempotencyKey(),
                request.idempotencyKey() == null ? null : sha256(Json.write(request)));
        audit.requireWritable(endpoint);
        UUID requestId = UUID.randomUUID();
        TaskSubmits.Submitted stored = submits.submit(
                who, endpoint, nb, s -> new SubmitResponse(requestId, s.group(), endpoint, byFunction(s)));
        if (stored.replay() != null) {
            log.info(
                    "submit with idempotency key {} was seen before: same {} tasks",
                    request.idempotencyKey(),
                    stored.replay().tasks().values().stream()
                            .mapToInt(List::size)
                            .sum());
            return stored.replay();
        }
        if (!audit.submitted(who, endpoint, stored.tasks())) {
            // stored but unrecorded: they must not run; not queued yet, so cancelling them is enough
            stored.tasks().forEach(t -> tasks.cancel(who, t.task(), clock.millis()));
            audit.requireWritable(endpoint);
        }
        if (request.createQueue()) {
            declareQueue(who, stored.group());
        }
        try {
            broker.publishTasks(endpoint, stored.tasks());
        } catch (RuntimeException e) {
            log.warn(
                    "{} tasks for endpoint {} are stored but not queued; the housekeeper queues them later: {}",
                    stored.tasks().size(),
                    endpoint,
                    e.getMessage());
            tasks.setQueued(stored.tasks().stream().map(TaskMessage::task).toList(), false);
        }
        return new SubmitResponse(requestId, stored.group(), endpoint, byFunction(stored));
    }

    /** The group's Globus Compute result queue, declared before any of its tasks can end. */
    private void declareQueue(Identity who, dev.gantry.protocol.TaskGroupId group) {
        try {
            sdkQueues.declare(who.id(), group);
        } catch (java.io.IOException | RuntimeException e) {
            log.warn(
                    "task group {}: its result queue could not be declared; its results stay readable over REST: {}",
                    group,
                    e.getMessage());
        }
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Depth(long value, long atMs) {}

    private final Map<EndpointId, Depth> depths = new java.util.concurrent.ConcurrentHashMap<>();

    /** The endpoint's queue depth, at most a second old: back-pressure need not cost a broker round trip per submit. */
    private long depth(EndpointId endpoint) {
        long now = clock.millis();
        Depth d = depths.get(endpoint);
        if (d == null || now - d.atMs() > 1000) {
            d = new Depth(broker.depth(endpoint), now);
            depths.put(endpoint, d);
        }
        return d.value();
    }

    /**
     * Refuses functions {@code who} may not run, and any that high assurance keeps off {@code target}: a function
     * pinned to another endpoint, or one not pinned to a high-assurance {@code target}.
     */
    private void requireFunctions(Identity who, Map<UUID, FunctionId> wanted, EndpointTarget target) {
        Map<UUID, UUID> pins = new HashMap<>();
        functions.runnable(who, wanted.keySet()).forEach(f -> pins.put(f.id(), f.pinnedTo()));
        for (UUID id : wanted.keySet()) {
            if (!pins.containsKey(id)) {
                throw new GantryException(ApiError.FUNCTION_NOT_FOUND, "function " + id + " not found");
            }
            UUID pin = pins.get(id);
            if (pin != null ? !pin.equals(target.id().value()) : target.highAssurance()) {
                throw new GantryException(
                        ApiError.FUNCTION_NOT_PERMITTED,
                        pin != null
                                ? "function " + id + " is pinned to the high-assurance endpoint " + pin
                                        + " and runs there only"
                                : "endpoint " + target.id() + " is high-assurance: it runs only functions"
                                        + " registered with its id as ha_endpoint_id");
            }
        }
        if (target.highAssurance()) {
            functions.used(wanted.keySet()); // all pinned to it: an idle one is purged after 90 days
        }
    }

    private static Map<String, List<TaskId>> byFunction(TaskSubmits.Submitted stored) {
        Map<String, List<TaskId>> out = new LinkedHashMap<>();
        stored.tasks()
                .forEach(t -> out.computeIfAbsent(t.function().toString(), k -> new ArrayList<>())
                        .add(t.task()));
        return out;
    }
}
