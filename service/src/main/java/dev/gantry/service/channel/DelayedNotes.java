package dev.gantry.service.channel;

import dev.gantry.protocol.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notes about tasks (a start, a wait for nodes) that are written only if still true some time later: most
 * tasks end sooner, and their result row records what they need, so the note costs no write of its own.
 */
final class DelayedNotes {
    private final Map<TaskId, Long> at = new ConcurrentHashMap<>();

    void put(TaskId task, long atMs) {
        at.put(task, atMs);
    }

    void remove(TaskId task) {
        at.remove(task);
    }

    /** The notes taken at or before {@code cutoffMs}, taken out to be written; {@code oldest[0]} gets their first time. */
    List<TaskId> due(long cutoffMs, long[] oldest) {
        List<TaskId> due = new ArrayList<>();
        oldest[0] = Long.MAX_VALUE;
        for (Map.Entry<TaskId, Long> e : at.entrySet()) {
            if (e.getValue() <= cutoffMs && at.remove(e.getKey(), e.getValue())) {
                due.add(e.getKey());
                oldest[0] = Math.min(oldest[0], e.getValue());
            }
        }
        return due;
    }
}
