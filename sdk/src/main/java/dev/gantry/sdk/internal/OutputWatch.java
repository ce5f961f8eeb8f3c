package dev.gantry.sdk.internal;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Routes the output chunks of the result stream to the tasks' line sinks. A task may print before its submitter
 * knows its id (the submit's reply is still on its way): such chunks wait, up to {@link #MAX_EARLY_BYTES} in all,
 * and go to the sink when it comes. A task's watch ends with its result on the stream, which comes after its
 * output; a result looked up elsewhere (the stream lagging) leaves the watch open a while for what is still coming.
 */
final class OutputWatch {
    static final long MAX_EARLY_BYTES = 4L * 1024 * 1024;
    /** How long a watch stays open after its task's result was looked up, for output still on the stream. */
    static final long LINGER_MS = 30_000;

    private final Map<TaskId, OutputLines> watching = new ConcurrentHashMap<>();
    private final Map<TaskId, Long> lookedUp = new ConcurrentHashMap<>();
    private final Map<TaskId, List<OutputChunk>> early = new ConcurrentHashMap<>();
    private final AtomicLong earlyBytes = new AtomicLong();

    void watch(TaskId task, Consumer<String> lines) {
        OutputLines l = new OutputLines(lines);
        watching.put(task, l);
        List<OutputChunk> waiting = early.remove(task);
        if (waiting != null) {
            for (OutputChunk c : waiting) {
                earlyBytes.addAndGet(-c.length());
                l.add(c);
            }
        }
    }

    void add(List<OutputChunk> chunks) {
        for (OutputChunk c : chunks) {
            OutputLines l = watching.get(c.task());
            if (l != null) {
                l.add(c);
            } else if (earlyBytes.addAndGet(c.length()) <= MAX_EARLY_BYTES) {
                early.computeIfAbsent(c.task(), t -> new ArrayList<>()).add(c);
            } else {
                earlyBytes.addAndGet(-c.length());
            }
        }
    }

    /** The task ended, its result streamed: its last partial line is a line, and nothing more is expected. */
    void ended(TaskId task) {
        lookedUp.remove(task);
        OutputLines l = watching.remove(task);
        if (l != null) {
            l.end();
        }
        List<OutputChunk> waiting = early.remove(task);
        if (waiting != null) {
            waiting.forEach(c -> earlyBytes.addAndGet(-c.length()));
        }
    }

    /**
     * The task ended, as a lookup showed: what it wrote may still be on the stream, ahead of the stream's own result,
     * which ends the watch; or {@link #expire} does, {@link #LINGER_MS} after {@code nowMs}.
     */
    void endedByLookup(TaskId task, long nowMs) {
        if (watching.containsKey(task)) {
            lookedUp.putIfAbsent(task, nowMs);
        }
    }

    /** Ends the watches whose tasks' results were looked up more than {@link #LINGER_MS} before {@code nowMs}. */
    void expire(long nowMs) {
        lookedUp.forEach((task, at) -> {
            if (at <= nowMs - LINGER_MS) {
                ended(task);
            }
        });
    }

    void clear() {
        lookedUp.clear();
        watching.clear();
        early.clear();
        earlyBytes.set(0);
    }
}
