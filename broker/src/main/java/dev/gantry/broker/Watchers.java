package dev.gantry.broker;

import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The result watchers of one instance, by task group; a watcher that throws does not stop the others. */
final class Watchers {
    private static final Logger log = LoggerFactory.getLogger(Watchers.class);
    private final Map<TaskGroupId, List<Consumer<List<TaskStatus>>>> byGroup = new ConcurrentHashMap<>();

    /** Adds a watcher; true if it is the group's first. */
    boolean add(TaskGroupId group, Consumer<List<TaskStatus>> watcher) {
        List<Consumer<List<TaskStatus>>> list = byGroup.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>());
        boolean first = list.isEmpty();
        list.add(watcher);
        return first;
    }

    /** Removes a watcher; true if it was the group's last. */
    boolean remove(TaskGroupId group, Consumer<List<TaskStatus>> watcher) {
        boolean[] last = {false};
        byGroup.computeIfPresent(group, (g, list) -> {
            last[0] = list.remove(watcher) && list.isEmpty();
            return list.isEmpty() ? null : list;
        });
        return last[0];
    }

    Set<TaskGroupId> groups() {
        return byGroup.keySet();
    }

    void dispatch(TaskGroupId group, List<TaskStatus> results) {
        List<Consumer<List<TaskStatus>>> list = byGroup.get(group);
        if (list == null) {
            return;
        }
        for (Consumer<List<TaskStatus>> w : list) {
            try {
                w.accept(results);
            } catch (RuntimeException e) {
                log.warn("a result watcher of task group {} failed", group, e);
            }
        }
    }

    void clear() {
        byGroup.clear();
    }
}
