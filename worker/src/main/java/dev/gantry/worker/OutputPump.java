package dev.gantry.worker;

import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Sends what running tasks write to {@code sink}, every {@link #FLUSH_MS} and once more when each task ends (before
 * its result), so the submitter sees a line within a fraction of a second and in order: one lock keeps a task's
 * drains and their hand-over to the sink in one order. The sink only queues; it never waits.
 */
public final class OutputPump {
    static final long FLUSH_MS = 200;
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-output");
        t.setDaemon(true);
        return t;
    });

    private final Consumer<List<OutputChunk>> sink;
    private final Map<TaskId, OutputBuffer> active = new ConcurrentHashMap<>();
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public OutputPump(Consumer<List<OutputChunk>> sink) {
        this.sink = sink;
    }

    /** A pump that drops what tasks write. */
    public static OutputPump discarding() {
        return new OutputPump(chunks -> {});
    }

    /** The buffer of one attempt that starts now; flushing starts with the first one. */
    OutputBuffer open(TaskId task, int attempt) {
        if (scheduled.compareAndSet(false, true)) {
            TIMER.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        }
        OutputBuffer b = new OutputBuffer(task, attempt);
        active.put(task, b);
        return b;
    }

    /** The attempt ended: what it wrote last goes to the sink now, before its result. */
    void finish(OutputBuffer b) {
        active.remove(b.task(), b);
        b.close();
        sending.lock();
        try {
            List<OutputChunk> last = new ArrayList<>();
            for (OutputChunk c; (c = b.drain()) != null; ) {
                last.add(c);
                if (last.size() == Limits.MAX_FRAME_CHUNKS) {
                    sink.accept(last);
                    last = new ArrayList<>();
                }
            }
            if (!last.isEmpty()) {
                sink.accept(last);
            }
        } finally {
            sending.unlock();
        }
    }

    void flush() {
        if (active.isEmpty()) {
            return;
        }
        sending.lock();
        try {
            List<OutputChunk> batch = new ArrayList<>();
            for (OutputBuffer b : active.values()) {
                for (OutputChunk c; (c = b.drain()) != null; ) {
                    batch.add(c);
                    if (batch.size() == Limits.MAX_FRAME_CHUNKS) {
                        sink.accept(batch);
                        batch = new ArrayList<>();
                    }
                }
            }
            if (!batch.isEmpty()) {
                sink.accept(batch);
            }
        } catch (RuntimeException e) {
            System.err.println("gantry: task output could not be sent: " + e);
        } finally {
            sending.unlock();
        }
    }
}
