package dev.gantry.service;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.service.channel.Recovery;
import dev.gantry.service.store.FunctionStore;
import dev.gantry.service.store.QueuedTask;
import dev.gantry.service.store.TaskLeases;
import dev.gantry.service.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work of every instance: take back tasks leased to endpoints that stopped heartbeating, queue tasks
 * that are stored but not in the broker (it was down or full when they were submitted, they were taken back,
 * or it is the in-process broker and the service restarted), and expire tasks past the retention time. Both are idempotent, so
 * instances need not coordinate; two instances queueing the same task only cause a duplicate delivery, and
 * the first result wins.
 */
final class Housekeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);
    private static final int PAGE = 1000;

    private final TaskStore tasks;
    private final TaskLeases leases;
    private final Recovery recovery;
    private final Broker broker;
    private final Duration retention;
    private final FunctionStore functions;
    /** A high-assurance function not submitted for this long is purged, as Globus Compute's are. */
    static final Duration HA_FUNCTION_IDLE = Duration.ofDays(90);

    private final Clock clock;
    private volatile java.util.function.Consumer<EndpointId> onRequeued = e -> {};
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("housekeeper").factory());

    Housekeeper(
            TaskStore tasks,
            FunctionStore functions,
            TaskLeases leases,
            Broker broker,
            Duration retention,
            Clock clock) {
        this.tasks = tasks;
        this.functions = functions;
        this.leases = leases;
        this.recovery = new Recovery(broker, this::requeueSoon);
        this.broker = broker;
        this.retention = retention;
        this.clock = clock;
    }

    /** Runs {@code action} with each endpoint that tasks were queued for again. */
    void onRequeued(java.util.function.Consumer<EndpointId> action) {
        this.onRequeued = action;
    }

    /** How lost attempts are carried out: requeued tasks are published by this housekeeper at once. */
    Recovery recovery() {
        return recovery;
    }

    /** Leases are checked every second (they expire after a few heartbeats); the rest every {@code period}. */
    void start(Duration period) {
        timer.scheduleWithFixedDelay(this::runOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::expireLeases, 1000, 1000, TimeUnit.MILLISECONDS);
    }

    /** Takes back the tasks of endpoints whose leases expired (they stopped heartbeating). */
    void expireLeases() {
        try {
            TaskLeases.Outcome lost;
            do {
                lost = leases.expire(clock.millis(), PAGE);
                recovery.apply(lost, "their endpoint's lease expired");
            } while (lost.requeued().size() + lost.failed().size() == PAGE);
        } catch (RuntimeException e) {
            log.warn("checking leases failed; trying again in a second: {}", e.getMessage());
        }
    }

    /** Queues unqueued tasks now (after the broker came back), on the housekeeper's thread. */
    void requeueSoon() {
        timer.execute(this::requeue);
    }

    void runOnce() {
        try {
            requeue();
            int expired = tasks.expire(clock.millis() - retention.toMillis(), clock.millis());
            if (expired > 0) {
                log.info("expired {} tasks older than {}", expired, retention);
            }
            int purged = functions.purgeIdleHighAssurance(clock.millis() - HA_FUNCTION_IDLE.toMillis());
            if (purged > 0) {
                log.info("purged {} high-assurance functions idle for {} days", purged, HA_FUNCTION_IDLE.toDays());
            }
        } catch (RuntimeException e) {
            log.warn("housekeeping failed; trying again next period: {}", e.getMessage());
        }
    }

    /** Hands the broker every unfinished task it does not have, oldest first; stops at the first refusal. */
    void requeue() {
        List<QueuedTask> page;
        do {
            page = tasks.unqueued(PAGE);
            Map<EndpointId, List<TaskMessage>> byEndpoint = new LinkedHashMap<>();
            page.forEach(t -> byEndpoint
                    .computeIfAbsent(t.endpoint(), e -> new ArrayList<>())
                    .add(t.message()));
            for (Map.Entry<EndpointId, List<TaskMessage>> e : byEndpoint.entrySet()) {
                try {
                    broker.publishAgain(e.getKey(), e.getValue()); // they may have been sent before
                } catch (RuntimeException ex) {
                    log.info(
                            "{} tasks of endpoint {} still cannot be queued: {}",
                            e.getValue().size(),
                            e.getKey(),
                            ex.getMessage());
                    return;
                }
                List<TaskId> ids = e.getValue().stream().map(TaskMessage::task).toList();
                tasks.setQueued(ids, true);
                onRequeued.accept(e.getKey());
                log.info("queued {} tasks of endpoint {} that had been stored unqueued", ids.size(), e.getKey());
            }
        } while (page.size() == PAGE);
    }

    @Override
    public void close() {
        // no interrupt: it would close H2's file under a round; a round that runs finishes first
        timer.shutdown();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("housekeeping did not stop within 10 s");
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
