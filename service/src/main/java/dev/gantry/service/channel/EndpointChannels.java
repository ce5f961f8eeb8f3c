package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.LogKeys;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.service.http.Auth;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.EndpointLocks;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.FunctionStore;
import dev.gantry.service.store.IdentityStore;
import dev.gantry.service.store.StartRequests;
import dev.gantry.service.store.TaskLeases;
import dev.gantry.service.store.TaskStore;
import io.javalin.Javalin;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The endpoint channel route ({@code /v3/endpoints/{id}/channel}): authenticates before the upgrade, then
 * turns frames into calls on the endpoint's {@link EndpointConnection}, the result writer, the output relay and the
 * store.
 */
public final class EndpointChannels implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointChannels.class);
    private static final String PATH = "/v3/endpoints/{id}/channel";
    /** Frames queued for one endpoint at most; one that does not read them is disconnected. */
    private static final int SEND_QUEUE = 4096;
    /** The close code for a hello from a second process of an endpoint whose channel another process holds. */
    public static final int CLOSE_ALREADY_CONNECTED = 4409;

    private final UUID instance;
    private final TaskStore tasks;
    private final Auth auth;
    private final EndpointStore endpoints;
    private final FunctionCache functions;
    private final Broker broker;
    private final ResultWriter writer;
    private final OutputRelay output;
    private final TaskLeases leases;
    private final Recovery recovery;
    private final StartRelay relay;
    private final Clock clock;
    private final ReportFilter reports = new ReportFilter();
    private final EndpointLocks locks;
    private volatile boolean closing;
    private volatile Consumer<EndpointId> onLost = e -> {};
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("channel-watchdog").factory());
    private final Map<String, EndpointConnection> bySession = new ConcurrentHashMap<>();

    public EndpointChannels(
            UUID instance,
            Auth auth,
            EndpointStore endpoints,
            FunctionStore functions,
            TaskStore tasks,
            TaskLeases leases,
            Recovery recovery,
            Broker broker,
            ResultWriter writer,
            OutputRelay output,
            StartRequests starts,
            IdentityStore identities,
            ApiTokens apiTokens,
            EndpointLocks locks,
            Clock clock) {
        this.locks = locks;
        this.relay = new StartRelay(starts, identities, apiTokens, endpoints, clock);
        this.clock = clock;
        this.leases = leases;
        this.recovery = recovery;
        this.instance = instance;
        this.tasks = tasks;
        this.auth = auth;
        this.endpoints = endpoints;
        this.functions = new FunctionCache(functions);
        this.broker = broker;
        this.writer = writer;
        this.output = output;
    }

    public void register(Javalin app) {
        app.wsBeforeUpgrade(PATH, ctx -> {
            auth.authenticate(ctx);
            EndpointId id = EndpointId.of(ctx.pathParam("id"));
            if (!endpoints.ownedBy(Auth.channelIdentity(ctx, id.value()), id)) {
                throw new GantryException(ApiError.ENDPOINT_NOT_FOUND, "endpoint " + id + " not found");
            }
            refuseIfLocked(id);
        });
        app.ws(PATH, this::configure);
        watchdog.scheduleWithFixedDelay(this::closeSilent, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Closes channels that have been silent for three heartbeat periods (and two seconds): a partitioned
     * endpoint's TCP connection may stay open for a long time without a close. Its tasks stay leased to it until
     * it reconnects or its lease expires.
     */
    private void closeSilent() {
        long now = clock.millis();
        for (EndpointConnection c : bySession.values()) {
            if (now - c.lastHeardMs() > 3L * c.heartbeatPeriodMs() + 2000) {
                log.warn(
                        "endpoint {}: nothing heard for {} ms; closing its channel",
                        c.endpoint(),
                        now - c.lastHeardMs());
                c.sender.closeSession(1001, "silent for three heartbeat periods");
            }
        }
    }

    private void configure(WsConfig ws) {
        ws.onMessage(ctx -> {
            try (MDC.MDCCloseable m = MDC.putCloseable(LogKeys.ENDPOINT, ctx.pathParam("id"))) {
                onFrame(ctx, Json.read(ctx.message(), ChannelMessage.class));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (GantryException e) {
                log.warn("endpoint channel {}: refused a frame: {}", ctx.sessionId(), e.getMessage());
                ctx.closeSession(1008, e.code().name());
            }
        });
        ws.onClose(ctx -> {
            try (MDC.MDCCloseable m = MDC.putCloseable(LogKeys.ENDPOINT, ctx.pathParam("id"))) {
                disconnected(ctx, "closed " + ctx.status() + " " + ctx.reason());
            }
        });
        ws.onError(ctx -> {
            try (MDC.MDCCloseable m = MDC.putCloseable(LogKeys.ENDPOINT, ctx.pathParam("id"))) {
                disconnected(ctx, "error " + ctx.error());
            }
        });
    }

    private void onFrame(WsContext ctx, ChannelMessage m) throws InterruptedException {
        if (closing) {
            return;
        }
        if (m instanceof ChannelMessage.Hello h) {
            hello(ctx, h);
            return;
        }
        EndpointConnection c = bySession.get(ctx.sessionId());
        if (c == null) {
            log.warn(
                    "endpoint channel {}: a {} frame before hello",
                    ctx.sessionId(),
                    m.getClass().getSimpleName());
            return;
        }
        c.heard();
        switch (m) {
            case ChannelMessage.Accepted a -> writer.accepted(c, reports.owned(c, "accepted", a.tasks()), a.atMs());
            case ChannelMessage.WaitingForNodes w ->
                writer.waitingForNodes(c, reports.owned(c, "waiting-for-nodes", w.tasks()), w.atMs());
            case ChannelMessage.Results r -> writer.submit(c, reports.results(c, r.results()));
            case ChannelMessage.Output o -> output.offer(c, reports.output(c, o.output()));
            case ChannelMessage.StartAnswer a -> relay.answered(c.endpoint(), a);
            case ChannelMessage.Status s -> {
                c.dispatcher().creditChanged(s.credit());
                endpoints.heartbeat(c.endpoint(), s.report());
                if (locks.lockedUntil(c.endpoint(), clock.millis()).isPresent()) {
                    stop(c.endpoint(), "locked by its owner or an admin"); // through any instance
                }
            }
            default ->
                log.warn(
                        "endpoint channel {}: unexpected {} frame",
                        ctx.sessionId(),
                        m.getClass().getSimpleName());
        }
    }

    /** How many task reports this instance ignored because their sender may not report on those tasks. */
    public long rejectedReports() {
        return reports.rejected();
    }

    private void hello(WsContext ctx, ChannelMessage.Hello h) {
        EndpointId id = EndpointId.of(ctx.pathParam("id"));
        if (!id.equals(h.endpoint())) {
            ctx.closeSession(1008, "hello names another endpoint");
            return;
        }
        int period = h.heartbeatPeriodMs();
        if (!endpoints.claimChannel(id, instance, h.instance(), period, h.maxRetries())) {
            log.warn("endpoint {}: refused a channel from process {}: another one holds it", id, h.instance());
            ctx.closeSession(CLOSE_ALREADY_CONNECTED, ApiError.ENDPOINT_ALREADY_CONNECTED.name());
            return;
        }
        WsSender sender = new WsSender(ctx, SEND_QUEUE, "send-" + id);
        recovery.apply(
                leases.reconcile(id, h.inFlight(), clock.millis()), "endpoint " + id + " reconnected without them");
        EndpointConnection c = new EndpointConnection(
                id, sender, broker.consume(id), h.credit(), functions::get, writer, period, clock);
        c.held(leases.heldBy(id, h.inFlight()));
        EndpointConnection old = bySession.put(ctx.sessionId(), c);
        if (old != null) {
            old.close();
        }
        bySession.forEach((session, other) -> { // the same process's old channel
            if (other.endpoint().equals(id) && !session.equals(ctx.sessionId())) {
                other.sender.closeSession(1000, "the endpoint connected again");
            }
        });
        c.onClose(broker.subscribeResults(Broker.controlTopic(id), notices -> {
            relay.forward(c, notices);
            c.dispatcher().control(notices);
        }));
        // subscribed first: a cancel committed from now on is heard, and one committed before is read here
        c.dispatcher().cancelledBefore(leases.cancelledUnsent(id, Dispatcher.CANCELLED_KEPT));
        sender.start().send(new ChannelMessage.Welcome(period));
        c.start();
        log.info(
                "endpoint {} connected (instance {}, credit {}, {} tasks still running)",
                id,
                h.instance(),
                h.credit(),
                h.inFlight().size());
    }

    private void disconnected(WsContext ctx, String why) {
        EndpointConnection c = bySession.remove(ctx.sessionId());
        if (c == null) {
            return;
        }
        c.close();
        boolean another = bySession.values().stream().anyMatch(o -> o.endpoint().equals(c.endpoint()));
        if (!another) {
            endpoints.disconnected(c.endpoint(), instance);
            onLost.accept(c.endpoint());
        }
        log.info("endpoint {} disconnected: {}", c.endpoint(), why);
    }

    /** Runs {@code action} with an endpoint whose last channel (on this instance) closed. */
    public void onEndpointLost(Consumer<EndpointId> action) {
        this.onLost = action;
    }

    /** Refuses an endpoint its owner locked, with {@code ENDPOINT_LOCKED} and when the lock ends. */
    public void refuseIfLocked(EndpointId id) {
        locks.refuseIfLocked(id, clock.millis());
    }

    /**
     * Tells the endpoint's channels on this instance to stop (one that has not closed 5 s later is closed) and
     * revokes the tokens that open only its channel (a user endpoint's). Other instances stop theirs at the
     * endpoint's next heartbeat, when they see the lock.
     */
    public void stop(EndpointId id, String reason) {
        relay.revokeCredentials(id);
        for (EndpointConnection c : bySession.values()) {
            if (c.endpoint().equals(id)) {
                c.sender.send(new ChannelMessage.Stop(reason));
                watchdog.schedule(() -> c.sender.closeSession(1000, "endpoint locked"), 5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Closes every channel of this instance and records its endpoints as disconnected; frames and closes that
     * arrive afterwards (while the HTTP server stops) change nothing. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        watchdog.shutdownNow();
        for (String session : List.copyOf(bySession.keySet())) {
            EndpointConnection c = bySession.remove(session);
            if (c != null) {
                c.close();
                try {
                    endpoints.disconnected(c.endpoint(), instance);
                } catch (RuntimeException e) {
                    log.debug("endpoint {}: not recorded as disconnected: {}", c.endpoint(), e.getMessage());
                }
            }
        }
    }
}
