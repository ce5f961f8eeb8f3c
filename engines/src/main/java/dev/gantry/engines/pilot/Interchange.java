package dev.gantry.engines.pilot;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.TaskRunner;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pilot engine's hub in the endpoint: managers connect to it over TCP and register with their engine's
 * token; it hands queued tasks to managers with free slots ({@code workers + prefetch_capacity}), in one frame
 * per manager per round, and completes tasks from their results. A manager that closes its connection or is
 * silent past {@code heartbeat_threshold} is lost: its tasks fail with {@code BLOCK_ENDED} if its block's pilotTask
 * ended (it said so on SIGTERM, or the scheduler says so), else {@code WORKER_LOST}; the service retries them.
 */
final class Interchange implements ManagerListener.Managers, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Interchange.class);

    private final int prefetch;
    private final long heartbeatPeriodMs;
    private final long heartbeatThresholdMs;
    private final Predicate<String> blockEnded;
    private final Consumer<TaskId> onStart;
    private final Consumer<List<OutputChunk>> onOutput;
    private final ManagerListener listener;
    private final ArrayDeque<PilotTask> queued = new ArrayDeque<>();
    private final Map<TaskId, PilotTask> queuedById = new ConcurrentHashMap<>();
    private final Map<TaskId, ManagerConnection> where = new ConcurrentHashMap<>();
    private final List<ManagerConnection> managers = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean open = true;

    /**
     * Listens on {@code address} (an ephemeral port). {@code blockEnded} tells whether a block's job has ended
     * as far as the scheduler knows; {@code onStart} hears of each task a worker starts, {@code onOutput} what
     * the tasks a manager holds wrote.
     */
    Interchange(
            String address,
            PilotLink link,
            int prefetch,
            long heartbeatPeriodMs,
            long heartbeatThresholdMs,
            Predicate<String> blockEnded,
            Consumer<TaskId> onStart,
            Consumer<List<OutputChunk>> onOutput,
            Clock clock)
            throws IOException {
        this.clock = clock;
        this.onStart = onStart;
        this.onOutput = onOutput;
        this.prefetch = prefetch;
        this.heartbeatPeriodMs = heartbeatPeriodMs;
        this.heartbeatThresholdMs = heartbeatThresholdMs;
        this.blockEnded = blockEnded;
        this.listener = new ManagerListener(address, link, heartbeatThresholdMs, clock, this);
    }

    /** Starts accepting managers, dispatching and heartbeating. */
    void start() {
        listener.start();
        Thread.ofVirtual().name("interchange-dispatch").start(this::dispatchLoop);
        Thread.ofVirtual().name("interchange-heartbeat").start(this::heartbeatLoop);
    }

    /** Where managers connect: {@code host:port}. */
    String address() {
        return listener.address();
    }

    void submit(PilotTask pilotTask) {
        lock.lock();
        try {
            queued.add(pilotTask);
            queuedById.put(pilotTask.task().task(), pilotTask);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A queued task never runs; one on a manager is cancelled there. False if this engine does not have it. */
    boolean cancel(TaskId task) {
        lock.lock();
        try {
            PilotTask pilotTask = queuedById.remove(task);
            if (pilotTask != null) {
                queued.remove(pilotTask);
                pilotTask.onDone().accept(TaskRunner.cancelled(pilotTask.task(), clock.millis()));
                return true;
            }
        } finally {
            lock.unlock();
        }
        ManagerConnection link = where.get(task);
        if (link == null) {
            return false;
        }
        try {
            link.send(new PilotMessage.Cancel(List.of(task)));
        } catch (IOException e) {
            lost(link, "its connection failed: " + e.getMessage());
        }
        return true;
    }

    /** Whether some manager could take a task now (none while blocks are starting or all slots are taken). */
    boolean hasFreeSlot() {
        int free = managers.stream().mapToInt(this::free).sum();
        return free > queuedCount();
    }

    private int free(ManagerConnection m) {
        return m.free(prefetch, blockEnded.test(m.block));
    }

    int queuedCount() {
        return queuedById.size();
    }

    List<ManagerConnection> managers() {
        return managers;
    }

    /** Fails every queued task with {@code code}: they have nowhere to run (the scheduler refuses blocks). */
    void failQueued(FailureCode code, String why) {
        List<PilotTask> failed = new ArrayList<>();
        lock.lock();
        try {
            failed.addAll(queued);
            queued.clear();
            queuedById.clear();
        } finally {
            lock.unlock();
        }
        PilotFailures.Loss loss = PilotFailures.nowhereToRun(code, why);
        long now = clock.millis();
        failed.forEach(t -> t.onDone().accept(PilotFailures.failed(t, loss, now)));
    }

    @Override
    public void registered(ManagerConnection m) {
        managers.add(m);
        signal();
    }

    @Override
    public void frame(ManagerConnection m, PilotMessage frame) {
        switch (frame) {
            case PilotMessage.Results res -> {
                res.started().forEach(onStart);
                List<OutputChunk> output = res.output().stream()
                        .filter(c -> m.outstanding.containsKey(c.task()))
                        .toList();
                if (!output.isEmpty()) {
                    onOutput.accept(output);
                }
                completed(m, res.results());
            }
            case PilotMessage.Ending e -> m.ending = e.reason();
            default -> {}
        }
    }

    private void completed(ManagerConnection link, List<TaskResult> results) {
        for (TaskResult r : results) {
            PilotTask pilotTask = link.outstanding.remove(r.task());
            where.remove(r.task());
            if (pilotTask != null) {
                pilotTask.onDone().accept(r);
            }
        }
        signal();
    }

    /** The manager is gone: each of its tasks fails with the reason, and the service decides on a retry. */
    @Override
    public void lost(ManagerConnection link, String why) {
        boolean first = managers.remove(link);
        if (!open) {
            return; // closing with the endpoint: its tasks are the service's to take back
        }
        // tasks fail before the socket closes, so that they carry this reason, not the closed socket's; a
        // second call (the reader seeing the close, or a dispatch round that raced the loss) fails what is left
        PilotFailures.Loss loss = PilotFailures.managerLost(link.block, why, link.ending, blockEnded.test(link.block));
        if (first && !link.outstanding.isEmpty()) {
            log.warn("{}; failing its {} tasks with {}", loss.reason(), link.outstanding.size(), loss.code());
        }
        long now = clock.millis();
        for (PilotTask t : List.copyOf(link.outstanding.values())) {
            if (link.outstanding.remove(t.task().task()) != null) {
                where.remove(t.task().task());
                t.onDone().accept(PilotFailures.failed(t, loss, now));
            }
        }
        if (first) {
            link.close();
        }
    }

    private void signal() {
        lock.lock();
        try {
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Hands queued tasks to managers with free slots, the emptiest first, one frame per manager per round. */
    private void dispatchLoop() {
        while (open) {
            List<Map.Entry<ManagerConnection, List<PilotTask>>> round = new ArrayList<>();
            lock.lock();
            try {
                while (open && (queued.isEmpty() || managers.stream().noneMatch(l -> free(l) > 0))) {
                    work.await();
                }
                for (ManagerConnection l : managers) {
                    int n = Math.min(free(l), queued.size());
                    if (n > 0) {
                        List<PilotTask> pilotTasks = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            PilotTask j = queued.poll();
                            queuedById.remove(j.task().task());
                            l.outstanding.put(j.task().task(), j);
                            where.put(j.task().task(), l);
                            pilotTasks.add(j);
                        }
                        round.add(Map.entry(l, pilotTasks));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            round.forEach(e -> send(e.getKey(), e.getValue()));
        }
    }

    private void send(ManagerConnection link, List<PilotTask> tasks) {
        try {
            link.sendWork(tasks);
        } catch (IOException e) {
            lost(link, "sending it tasks failed: " + e.getMessage());
        }
    }

    private void heartbeatLoop() {
        while (open) {
            try {
                Thread.sleep(Math.max(50, heartbeatPeriodMs / 2));
            } catch (InterruptedException e) {
                return;
            }
            heartbeats(clock.millis());
        }
    }

    /** Loses managers silent past the threshold, and writes a heartbeat to those not written to for a period. */
    void heartbeats(long nowMs) {
        for (ManagerConnection l : managers) {
            if (l.silentMs(nowMs) > heartbeatThresholdMs) {
                lost(l, "no heartbeat for " + l.silentMs(nowMs) + " ms");
            } else if (l.sinceSentMs(nowMs) >= heartbeatPeriodMs) {
                try {
                    l.send(new PilotMessage.Heartbeat());
                } catch (IOException e) {
                    lost(l, "its connection failed: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        listener.close();
        managers.forEach(ManagerConnection::close);
        signal();
    }
}
