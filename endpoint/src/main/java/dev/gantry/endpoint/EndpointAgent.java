package dev.gantry.endpoint;

import dev.gantry.client.ServiceClient;
import dev.gantry.engines.Engine;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.LogKeys;
import dev.gantry.protocol.RecentTasks;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.EndpointRegistered;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.TaskRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Set<TaskId> running = ConcurrentHashMap.newKeySet();
    private final Map<FunctionId, FunctionDoc> functions = new ConcurrentHashMap<>();
    private final boolean startsReported;
    private final RecentTasks cancelledEarly = new RecentTasks(10_000); // cancels that overtook their tasks: never run
    private final Outgoing outgoing = Outgoing.empty();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong activity = new AtomicLong();
    private final TaskChecks checks;
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
        this.clock = clock;
        this.dir = dir;
        this.cfg = cfg;
        this.client = client;
        this.engine = engine;
        // an engine that tells when a task starts on a worker (the pilot's may wait for nodes) reports the
        // start then; the others' tasks count as started when they take them
        this.startsReported = engine.reportStarts(outgoing.accepted()::add);
        engine.reportNodeWaits(outgoing.waitingForNodes()::add);
        engine.reportOutput(chunks -> {
            outgoing.output().addAll(chunks);
            wake();
        });
        this.checks = new TaskChecks(
                cfg.allowedStrategies(),
                cfg.allowedFunctions() == null ? null : Set.copyOf(cfg.allowedFunctions()),
                () -> id);
        this.outbox = new ResultOutbox(dir.outboxDir());
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
        return running.size() + outbox.size();
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
                        List<TaskId> holding = new ArrayList<>(running);
                        holding.addAll(outbox.tasks());
                        return ChannelLoop.firstFrames(
                                new ChannelMessage.Hello(
                                        id,
                                        instance,
                                        VERSION,
                                        holding,
                                        cfg.credit(),
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
            case ChannelMessage.Functions f -> f.functions().forEach(d -> functions.put(d.functionUuid(), d));
            case ChannelMessage.Tasks t -> {
                activity.incrementAndGet();
                t.tasks().forEach(this::run);
            }
            case ChannelMessage.ResultsAck a -> {
                activity.incrementAndGet();
                outbox.ack(a.tasks());
            }
            case ChannelMessage.Cancel c ->
                c.tasks().forEach(t -> {
                    if (engine.cancel(t)) {
                        log.info("task {} cancelled", t);
                    } else {
                        cancelledEarly.add(t); // its task frame may still be on the way
                    }
                });
            case ChannelMessage.Stop s -> {
                log.warn("the service asked endpoint {} to stop: {}", id, s.reason());
                Thread.ofVirtual().start(this::close);
            }
            case ChannelMessage.Welcome w -> log.debug("welcome: heartbeat every {} ms", w.heartbeatPeriodMs());
            default -> log.debug("ignored {}", m.getClass().getSimpleName());
        }
    }

    private void run(TaskMessage task) {
        if (outbox.holds(task.task(), task.attempt()) || !running.add(task.task())) {
            return;
        }
        if (cancelledEarly.remove(task.task())) {
            done(TaskRunner.cancelled(task, clock.millis()));
            return;
        }
        FunctionDoc fn = functions.get(task.function());
        Optional<TaskChecks.Refusal> refused = checks.check(task, fn);
        if (refused.isPresent()) {
            done(refused.get().result(task, clock.millis()));
            return;
        }
        if (!startsReported) {
            outgoing.accepted().add(task.task());
        }
        engine.submit(task, fn, this::done);
    }

    private void done(TaskResult r) {
        outbox.put(r);
        running.remove(r.task());
        outgoing.results().add(r);
        wake();
    }

    private void wake() {
        Optional.ofNullable(channel).ifPresent(Channel::wake);
    }

    /** The status report; while draining before a stop, credit 0 asks the service to send nothing more. */
    private ChannelMessage.Status status() {
        return new ChannelMessage.Status(engine.status(), draining ? 0 : cfg.credit());
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
        while (open && clock.millis() < deadline && (!running.isEmpty() || (channel != null && !outbox.isEmpty()))) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!running.isEmpty()) {
            log.warn(
                    "endpoint {}: stopping with {} tasks unfinished; they run again after a restart",
                    id,
                    running.size());
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
        stopped.countDown();
        log.info("endpoint {} stopped", id);
    }
}
