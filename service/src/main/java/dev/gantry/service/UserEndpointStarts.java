package dev.gantry.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.gantry.broker.Broker;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.EndpointTarget;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.StartRequests;
import dev.gantry.service.store.UserEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A submit to an endpoint manager goes to the submitter's user endpoint: one per (manager, identity, user
 * configuration, user runtime), with an id derived from the four. If it is not online, the manager is asked to
 * start it (through the manager's control topic, whichever instance holds its channel) and the submit waits
 * for the answer: a refusal fails the submit with the manager's reason and stores nothing. A user endpoint that
 * went away while tasks wait for it (it stopped idle as they were queued, it crashed, its leases expired) is
 * asked for again without a submit, so that they run.
 */
public final class UserEndpointStarts {
    private static final Logger log = LoggerFactory.getLogger(UserEndpointStarts.class);
    /** The control notice that asks a manager's channel to send it a start request (whose id is the task id). */
    public static final String START_NOTICE = "start-user-endpoint";

    private static final long ONLINE_CACHE_MS = 1000;
    private static final long POLL_MS = 20;
    /** A start request is waited for for seconds; its row is kept an hour, for the administrator. */
    private static final long KEEP_REQUESTS_MS = 3_600_000;

    private static final int MAX_CACHED = 10_000;
    /** At most one start request without a submit per user endpoint in this long. */
    private static final long RESTART_EVERY_MS = 5_000;

    private final EndpointStore endpoints;
    private final UserEndpoints users;
    private final StartRequests requests;
    private final Broker broker;
    private final Clock clock;
    private final long waitMs;
    private final Map<EndpointId, Long> onlineUntil = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong starts = new java.util.concurrent.atomic.AtomicLong();
    private final Map<EndpointId, Long> restartedAt = new ConcurrentHashMap<>();

    public UserEndpointStarts(
            EndpointStore endpoints,
            UserEndpoints users,
            StartRequests requests,
            Broker broker,
            Clock clock,
            long waitMs) {
        this.endpoints = endpoints;
        this.users = users;
        this.requests = requests;
        this.broker = broker;
        this.clock = clock;
        this.waitMs = waitMs;
    }

    /** The user endpoint for {@code who}'s submit to {@code manager}, started first if it is not online. */
    public EndpointId userEndpointFor(Identity who, EndpointTarget manager, SubmitRequest r) {
        EndpointId uep = idOf(manager.id(), who.id(), r.userEndpointConfig(), r.userRuntime());
        long now = clock.millis();
        if (onlineUntil.getOrDefault(uep, 0L) > now) {
            return uep;
        }
        if (endpoints.target(uep).map(t -> t.online(now)).orElse(false)) {
            if (onlineUntil.size() >= MAX_CACHED) {
                onlineUntil.clear();
            }
            onlineUntil.put(uep, now + ONLINE_CACHE_MS);
            return uep;
        }
        if (!manager.online(now)) {
            throw new GantryException(
                    ApiError.ENDPOINT_MANAGER_OFFLINE,
                    "endpoint " + manager.id() + " is offline: its manager must run to start your user endpoint");
        }
        users.ensure(uep, manager, who, r.userEndpointConfig(), r.userRuntime());
        UUID request = ask(new StartRequests.Request(
                UUID.randomUUID(), uep, manager.id(), who.id(), r.userEndpointConfig(), r.userRuntime(), now));
        StartRequests.Answer a = await(request);
        if (a.error() != null) {
            log.info(
                    "endpoint {} refused to start user endpoint {} for {}: {}",
                    manager.id(),
                    uep,
                    who.username(),
                    a.error());
            throw new GantryException(
                    ApiError.USER_ENDPOINT_START_FAILED,
                    "endpoint " + manager.id() + " could not start your user endpoint: " + a.error());
        }
        log.info(
                "endpoint {} started user endpoint {} for {} in {} ms",
                manager.id(),
                uep,
                who.username(),
                a.answeredAt() - now);
        return uep;
    }

    /** Stores a start request and tells the manager's channel; returns its id. */
    private UUID ask(StartRequests.Request r) {
        if (starts.incrementAndGet() % 256 == 0) {
            requests.purgeBefore(r.requestedAt() - KEEP_REQUESTS_MS);
        }
        requests.add(r);
        broker.publishResults(Broker.controlTopic(r.manager()), List.of(notice(r.requestId())));
        return r.requestId();
    }

    /** Its channel closed: if tasks still wait for the user endpoint, it is asked for again. */
    public void userEndpointLost(EndpointId endpoint) {
        try {
            if (broker.depth(endpoint) > 0) {
                askAgain(endpoint, "its channel closed with tasks queued");
            }
        } catch (RuntimeException e) {
            log.warn("could not check user endpoint {} after it went away: {}", endpoint, e.getMessage());
        }
    }

    /** Tasks were queued for it again (their attempt was lost): if it is not online, it is asked for again. */
    public void tasksRequeued(EndpointId endpoint) {
        try {
            long now = clock.millis();
            if (!endpoints.target(endpoint).map(t -> t.online(now)).orElse(true)) {
                askAgain(endpoint, "tasks were queued again for it while it is offline");
            }
        } catch (RuntimeException e) {
            log.warn("could not check user endpoint {} after requeueing: {}", endpoint, e.getMessage());
        }
    }

    /** Asks a user endpoint's manager to start it, from its recorded inputs, without waiting for the answer. */
    private void askAgain(EndpointId endpoint, String why) {
        long now = clock.millis();
        Long last = restartedAt.get(endpoint);
        if (last != null && now - last < RESTART_EVERY_MS) {
            return;
        }
        users.startInputs(endpoint).ifPresent(in -> {
            restartedAt.put(endpoint, now);
            if (restartedAt.size() > MAX_CACHED) {
                restartedAt.clear();
            }
            onlineUntil.remove(endpoint);
            log.info("asking endpoint manager {} for user endpoint {} again: {}", in.manager(), endpoint, why);
            ask(new StartRequests.Request(
                    UUID.randomUUID(), endpoint, in.manager(), in.identity(), in.config(), in.runtime(), now));
        });
    }

    private StartRequests.Answer await(UUID request) {
        long deadline = clock.millis() + waitMs;
        while (clock.millis() < deadline) {
            var a = requests.answerOf(request);
            if (a.isPresent()) {
                return a.get();
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new GantryException(
                ApiError.SERVICE_UNAVAILABLE,
                "the endpoint manager did not answer within " + waitMs / 1000 + " s; submit again later");
    }

    static TaskStatus notice(UUID request) {
        return new TaskStatus(new TaskId(request), START_NOTICE, true, null, null, null, null, null, null, null);
    }

    /**
     * The user endpoint's id: a name-based UUID of the manager, the identity and the canonical JSON (keys
     * sorted) of the user configuration and runtime, so equal inputs always reach the same user endpoint.
     */
    static EndpointId idOf(EndpointId manager, UUID identity, JsonNode config, JsonNode runtime) {
        String key =
                "gantry-user-endpoint:" + manager + ":" + identity + ":" + canonical(config) + ":" + canonical(runtime);
        return new EndpointId(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)));
    }

    static String canonical(JsonNode node) {
        if (node == null || node.isNull() || (node.isObject() && node.isEmpty())) {
            return "{}";
        }
        try {
            Object plain = Json.mapper().convertValue(node, Object.class);
            return Json.mapper()
                    .writer()
                    .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(plain);
        } catch (Exception e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, "user_endpoint_config cannot be read: " + e.getMessage());
        }
    }
}
