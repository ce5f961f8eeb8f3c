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
 * and go to the sink when it comes.
 */
final class OutputWatch {
    static final long MAX_EARLY_BYTES = 4L * 1024 * 1024;
    private final Map<TaskId, OutputLines> watching = new ConcurrentHashMap<>();
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

    /** The task ended: its last partial line is a line, and nothing more is expected. */
    void ended(TaskId task) {
        OutputLines l = watching.remove(task);
        if (l != null) {
            l.end();
        }
        List<OutputChunk> waiting = early.remove(task);
        if (waiting != null) {
            waiting.forEach(c -> earlyBytes.addAndGet(-c.length()));
        }
    }

    void clear() {
        watching.clear();
        early.clear();
        earlyBytes.set(0);
    }
}
