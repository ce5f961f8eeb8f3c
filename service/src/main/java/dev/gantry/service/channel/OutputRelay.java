package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.service.store.TaskOutputs;
import dev.gantry.service.store.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What running tasks wrote, from every endpoint channel of this instance: stored in batches ({@link TaskOutputs},
 * each task's newest part kept), then fanned out to the watchers of the tasks' groups. Apart from the results'
 * writer, so that a chatty task never delays a result; at most {@link #MAX_QUEUED_BYTES} wait, and a frame that
 * would pass that is dropped (a gap in its tasks' logs) rather than held in the heap or pushed back on its endpoint.
 */
public final class OutputRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputRelay.class);
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    private static final int MAX_BATCH = 64;

    private record Frame(Map<TaskId, TaskGroupId> groups, List<OutputChunk> chunks, long bytes, long seq) {}

    private final TaskOutputs store;
    private final TaskStore tasks;
    private final Broker broker;
    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Tasks with output not relayed yet, to the number of the last frame that held some. */
    private final Map<TaskId, Long> unrelayed = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private long frames;
    private volatile long relayed;
    private volatile boolean open = true;
    private Thread thread;

    public OutputRelay(TaskOutputs store, TaskStore tasks, Broker broker) {
        this.store = store;
        this.tasks = tasks;
        this.broker = broker;
    }

    public synchronized void start() {
        if (thread == null && open) {
            thread = Thread.ofVirtual().name("output-relay").start(this::run);
        }
    }

    /** Queues the chunks of one frame from {@code from} (already checked: tasks it may report on). Never waits. */
    void offer(Peer from, List<OutputChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        long bytes = chunks.stream().mapToLong(OutputChunk::length).sum();
        if (queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-bytes);
            if (dropped.getAndIncrement() % 1000 == 0) {
                log.warn("task output arrives faster than it is stored; dropped {} frames so far", dropped.get());
            }
            return;
        }
        Map<TaskId, TaskGroupId> groups = new HashMap<>();
        for (OutputChunk c : chunks) {
            TaskGroupId g = from.groupOf(c.task());
            if (g != null) {
                groups.put(c.task(), g);
            }
        }
        lock.lock();
        try {
            long seq = ++frames;
            chunks.forEach(c -> unrelayed.put(c.task(), seq));
            queue.add(new Frame(groups, chunks, bytes, seq));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (at most {@code maxMs}) until what {@code tasks} wrote so far is relayed: a task's result is announced
     * after its last output, so a watcher sees the output first. Tasks that wrote nothing lately do not wait.
     */
    void awaitRelayed(Collection<TaskId> tasks, long maxMs) {
        long need = 0;
        for (TaskId t : tasks) {
            need = Math.max(need, unrelayed.getOrDefault(t, 0L));
        }
        if (need == 0) {
            return;
        }
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(maxMs);
            while (relayed < need && nanos > 0 && open) {
                nanos = progress.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void relayedUpTo(long seq) {
        lock.lock();
        try {
            relayed = seq;
            unrelayed.values().removeIf(s -> s <= seq);
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (open) {
            List<Frame> batch = new ArrayList<>();
            try {
                Frame first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                relay(batch);
            } catch (RuntimeException e) {
                log.warn("task output not stored or not fanned out: {}", e.toString());
            } finally {
                queuedBytes.addAndGet(-batch.stream().mapToLong(Frame::bytes).sum());
                relayedUpTo(batch.get(batch.size() - 1).seq());
            }
        }
    }

    private void relay(List<Frame> frames) {
        List<OutputChunk> all = new ArrayList<>();
        Map<TaskId, TaskGroupId> groups = new HashMap<>();
        Set<TaskId> unknown = new HashSet<>();
        for (Frame f : frames) {
            all.addAll(f.chunks());
            groups.putAll(f.groups());
            f.chunks().stream()
                    .map(OutputChunk::task)
                    .filter(t -> !f.groups().containsKey(t))
                    .forEach(unknown::add);
        }
        if (!unknown.isEmpty()) {
            groups.putAll(tasks.groupsOf(unknown));
        }
        if (store.keptBytes() > 0) {
            store.append(all);
        }
        Map<TaskGroupId, List<OutputChunk>> byGroup = new LinkedHashMap<>();
        for (OutputChunk c : all) {
            TaskGroupId g = groups.get(c.task());
            if (g != null) {
                byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(c);
            }
        }
        byGroup.forEach(broker::publishOutput);
    }

    /** Frames dropped because too much output waited. */
    public long dropped() {
        return dropped.get();
    }

    /** Stops after the batch in hand (waiting up to 5 s for it); what still waits is dropped. Idempotent. */
    @Override
    public void close() {
        open = false;
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        // the loop sees it within a poll; an interrupt in the middle of a query would break its database connection
        try {
            if (t != null && !t.join(Duration.ofSeconds(5))) {
                t.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
