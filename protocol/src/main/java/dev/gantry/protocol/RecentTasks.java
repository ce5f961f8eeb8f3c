package dev.gantry.protocol;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded, thread-safe set of task ids that forgets the oldest first (tasks cancelled ahead of their frames). */
public final class RecentTasks {
    private final Map<TaskId, Boolean> ids;

    public RecentTasks(int kept) {
        ids = Collections.synchronizedMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TaskId, Boolean> e) {
                return size() > kept;
            }
        });
    }

    public void add(TaskId task) {
        ids.put(task, Boolean.TRUE);
    }

    public void addAll(Collection<TaskId> tasks) {
        tasks.forEach(this::add);
    }

    public boolean contains(TaskId task) {
        return ids.containsKey(task);
    }

    /** Takes {@code task} out; true if it was there. */
    public boolean remove(TaskId task) {
        return ids.remove(task) != null;
    }

    public boolean isEmpty() {
        return ids.isEmpty();
    }
}
