package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.service.store.TaskOutputs;
import dev.gantry.service.store.TaskStore;
import java.time.Clock;
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
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What running tasks wrote, from every endpoint channel of this instance: stored in batches ({@link TaskOutputs},
 * each task's newest part kept), then fanned out to the watchers of the tasks' groups. Apart from the results'
 * writer, so that a chatty task never holds up the writer; at most {@link #MAX_QUEUED_BYTES} wait, and when a frame
 * would pass that the oldest waiting frames are dropped (gaps in their tasks' logs) rather than held in the heap or
 * pushed back on their endpoint: a task's last words are what its watchers need most. A result whose task's output
 * is still waiting is announced after it ({@link #afterRelayed}), at most {@link #MAX_DEFER_MS} later.
 */
public final class OutputRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputRelay.class);
    static final long MAX_QUEUED_BYTES = 16L * 1024 * 1024;
    private static final int MAX_BATCH = 64;
    /** How long an announcement waits for its tasks' output before it goes anyway. */
    static final long MAX_DEFER_MS = 2000;

    private record Frame(Map<TaskId, TaskGroupId> groups, List<OutputChunk> chunks, long bytes, long seq) {}

    private record Deferred(long seq, long untilMs, Runnable then) {}

    private final TaskOutputs store;
    private final TaskStore tasks;
    private final Broker broker;
    private final Clock clock;
    private final LinkedBlockingQueue<Frame> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Tasks with output not relayed yet, to the number of the last frame that held some. */
    private final Map<TaskId, Long> unrelayed = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Deferred> deferred = new ArrayList<>(); // guarded by lock
    private long frames;
    private volatile long relayed;
    private volatile boolean open = true;
    private volatile Thread thread;

    public OutputRelay(TaskOutputs store, TaskStore tasks, Broker broker, Clock clock) {
        this.clock = clock;
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
        for (Frame old; queuedBytes.addAndGet(bytes) > MAX_QUEUED_BYTES && (old = queue.poll()) != null; ) {
            queuedBytes.addAndGet(-bytes - old.bytes());
            if (dropped.getAndIncrement() % 1000 == 0) {
                log.warn("task output arrives faster than it is stored; dropped {} frames so far", dropped.get());
            }
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
     * Runs {@code then} once what {@code tasks} wrote so far is relayed, at most {@link #MAX_DEFER_MS} later, on the
     * relay's thread; at once on the caller's if none of them has output waiting. A task's result is announced this
     * way, so that its watchers see its output first, and the results' writer never waits for output.
     */
    void afterRelayed(Collection<TaskId> tasks, Runnable then) {
        long need = 0;
        for (TaskId t : tasks) {
            need = Math.max(need, unrelayed.getOrDefault(t, 0L));
        }
        lock.lock();
        try {
            if (need > relayed && open && thread != null) {
                deferred.add(new Deferred(need, clock.millis() + MAX_DEFER_MS, then));
                return;
            }
        } finally {
            lock.unlock();
        }
        then.run();
    }

    private void relayedUpTo(long seq) {
        lock.lock();
        try {
            relayed = seq;
            unrelayed.values().removeIf(s -> s <= seq);
        } finally {
            lock.unlock();
        }
    }

    /** Runs what waited for output relayed by now, or long enough; everything if {@code all}. */
    private void runDeferred(boolean all) {
        List<Runnable> due = new ArrayList<>();
        long now = clock.millis();
        lock.lock();
        try {
            deferred.removeIf(d -> (all || d.seq() <= relayed || d.untilMs() <= now) && due.add(d.then()));
        } finally {
            lock.unlock();
        }
        for (Runnable r : due) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("results announced after their tasks' output failed: {}", e.toString());
            }
        }
    }

    private void run() {
        while (open) {
            List<Frame> batch = new ArrayList<>();
            try {
                Frame first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!batch.isEmpty()) {
                queuedBytes.addAndGet(-batch.stream().mapToLong(Frame::bytes).sum());
                try {
                    relay(batch);
                } catch (RuntimeException e) {
                    log.warn("task output not stored or not fanned out: {}", e.toString());
                } finally {
                    relayedUpTo(batch.get(batch.size() - 1).seq());
                }
            }
            runDeferred(false);
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

    /**
     * Stops after the batch in hand (waiting up to 5 s for it); output that still waits is dropped, and results that
     * waited for it are announced. Idempotent.
     */
    @Override
    public void close() {
        open = false;
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
        runDeferred(true);
    }
}
