package dev.gantry.endpoint;

import dev.gantry.client.ServiceClient;
import dev.gantry.engines.Engine;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.LogKeys;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.EndpointRegistered;
import dev.gantry.protocol.channel.ChannelMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A running endpoint: registers, keeps one channel to the service open (reconnecting with jittered
 * backoff), hands tasks to its engine and returns their results and what they write. A result stays in the outbox until the
 * service acknowledges it, and is sent again after a reconnect.
 */
public final class EndpointAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointAgent.class);
    public static final String VERSION = "0.1.0";
    /** How long a stopping endpoint lets its tasks finish and their results be acknowledged. */
    public static final Duration DRAIN = Duration.ofSeconds(20);

    private final EndpointDir dir;
    private final EndpointConfig cfg;
    private final ServiceClient client;
    private final Engine engine;
    private final UUID instance = UUID.randomUUID();
    private final ResultOutbox outbox;
    private final Outgoing outgoing = Outgoing.empty();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong activity = new AtomicLong();
    private final TaskIntake intake;
    private final Clock clock;
    private volatile boolean open = true;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean draining;
    private volatile Channel channel;
    private volatile EndpointId id;
    private volatile String channelPath;

    public EndpointAgent(EndpointDir dir, EndpointConfig cfg, ServiceClient client, Engine engine) {
        this(dir, cfg, client, engine, Clock.systemUTC());
    }

    public EndpointAgent(EndpointDir dir, EndpointConfig cfg, ServiceClient client, Engine engine, Clock clock) {
        this(dir, cfg, client, engine, clock, cfg.highAssurance() ? AuditLog.open(cfg.auditLog(dir)) : AuditLog.OFF);
    }

    /** An endpoint whose task events go to {@code audit} (a high-assurance manager's user endpoint: its manager). */
    public EndpointAgent(
            EndpointDir dir, EndpointConfig cfg, ServiceClient client, Engine engine, Clock clock, AuditLog audit) {
        this.clock = clock;
        this.dir = dir;
        this.cfg = cfg;
        this.client = client;
        this.engine = engine;
        engine.reportOutput(chunks -> {
            outgoing.output().addAll(chunks);
            wake();
        });
        this.outbox = new ResultOutbox(dir.outboxDir());
        this.intake = new TaskIntake(
                engine,
                new TaskChecks(
                        cfg.allowedStrategies(),
                        cfg.allowedFunctions() == null ? null : Set.copyOf(cfg.allowedFunctions()),
                        () -> id),
                audit,
                outbox,
                outgoing,
                this::wake,
                clock);
    }

    /** Registers (retrying while the service is unreachable), starts the engine and the channel. */
    public EndpointId start() {
        register();
        engine.start();
        Thread.ofVirtual().name("channel-connector").start(this::connectLoop);
        return id;
    }

    /** Starts an endpoint the service registered itself (a user endpoint): the engine, and the channel at {@code path}. */
    public void startRegistered(EndpointId registered, String path) {
        id = registered;
        channelPath = path;
        dir.saveEndpointId(id);
        engine.start();
        Thread.ofVirtual().name("channel-connector").start(this::connectLoop);
    }

    /** Grows each time a task arrives or a result is acknowledged: an idle endpoint's stays the same. */
    public long activity() {
        return activity.get();
    }

    /** Tasks running here plus results the service has not acknowledged yet. */
    public int outstanding() {
        return intake.running().size() + outbox.size();
    }

    private void register() {
        EndpointRegistered r = Registration.register(
                client,
                dir,
                Registration.endpoint(dir.name(), cfg, engine.status().engineType()),
                () -> open);
        id = r.endpointId();
        channelPath = r.channelPath();
    }

    private void connectLoop() {
        MDC.put(LogKeys.ENDPOINT, id.toString());
        ChannelLoop.run(
                client,
                channelPath,
                () -> open,
                "endpoint " + id,
                new ChannelLoop.Session() {
                    @Override
                    public Channel newChannel() {
                        return new Channel(outgoing, EndpointAgent.this::status, cfg.heartbeatPeriodMs(), clock);
                    }

                    @Override
                    public List<ChannelMessage> first() {
                        outgoing.results().clear();
                        List<TaskId> holding = new ArrayList<>(intake.running());
                        holding.addAll(outbox.tasks());
                        return ChannelLoop.firstFrames(
                                new ChannelMessage.Hello(
                                        id,
                                        instance,
                                        VERSION,
                                        holding,
                                        credit(),
                                        cfg.heartbeatPeriodMs(),
                                        cfg.engine().maxRetries()),
                                outbox.values());
                    }

                    @Override
                    public void onMessage(ChannelMessage m) {
                        try (MDC.MDCCloseable c = MDC.putCloseable(LogKeys.ENDPOINT, id.toString())) {
                            EndpointAgent.this.onMessage(m);
                        }
                    }

                    @Override
                    public void current(Channel ch) {
                        channel = ch;
                    }
                },
                clock);
    }

    private void onMessage(ChannelMessage m) {
        switch (m) {
            case ChannelMessage.Functions f -> intake.functions(f.functions());
            case ChannelMessage.Tasks t -> {
                activity.incrementAndGet();
                boolean refusing = intake.refusing().isPresent();
                intake.tasks(t.tasks());
                if (!refusing && intake.refusing().isPresent()) {
                    Optional.ofNullable(channel).ifPresent(ch -> ch.send(status())); // credit 0: send no more
                }
            }
            case ChannelMessage.ResultsAck a -> {
                activity.incrementAndGet();
                intake.acknowledged(a.tasks());
            }
            case ChannelMessage.Cancel c -> intake.cancel(c.tasks());
            case ChannelMessage.Stop s -> {
                log.warn("the service asked endpoint {} to stop: {}", id, s.reason());
                Thread.ofVirtual().start(this::close);
            }
            case ChannelMessage.Welcome w -> log.debug("welcome: heartbeat every {} ms", w.heartbeatPeriodMs());
            default -> log.debug("ignored {}", m.getClass().getSimpleName());
        }
    }

    private void wake() {
        Optional.ofNullable(channel).ifPresent(Channel::wake);
    }

    /**
     * The status report; while draining before a stop, or with an audit log that cannot be written, credit 0
     * asks the service to send nothing more (the report says why in the second case).
     */
    private ChannelMessage.Status status() {
        return new ChannelMessage.Status(
                intake.refusing().map(engine.status()::notTakingTasks).orElseGet(engine::status), credit());
    }

    private int credit() {
        return draining || intake.refusing().isPresent() ? 0 : cfg.credit();
    }

    public EndpointId id() {
        return id;
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Waits up to {@code ms} for the endpoint to stop; true if it has. */
    public boolean awaitStop(long ms) throws InterruptedException {
        return stopped.await(ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops gracefully: asks the service for no more tasks, lets the tasks it has finish and their results be
     * acknowledged (for at most {@code drainFor}), then stops. What is left is found again when it restarts: its
     * unacknowledged results in the outbox, its unfinished tasks through their leases.
     */
    public void drainAndClose(Duration drainFor) {
        draining = true;
        Channel ch = channel;
        if (ch != null) {
            ch.send(status());
        }
        long deadline = clock.millis() + drainFor.toMillis();
        while (open
                && clock.millis() < deadline
                && (!intake.running().isEmpty() || (channel != null && !outbox.isEmpty()))) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!intake.running().isEmpty()) {
            log.warn(
                    "endpoint {}: stopping with {} tasks unfinished; they run again after a restart",
                    id,
                    intake.running().size());
        }
        close();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return; // idempotent: two stops may race (a signal and the service's stop frame)
        }
        open = false;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        engine.close();
        outbox.close();
        intake.close();
        stopped.countDown();
        log.info("endpoint {} stopped", id);
    }
}
