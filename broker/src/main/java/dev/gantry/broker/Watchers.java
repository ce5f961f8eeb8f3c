package dev.gantry.broker;

import dev.gantry.protocol.TaskGroupId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchers of one instance, by task group, of one kind of news ({@code T}: results, or task output); a watcher
 * that throws does not stop the others.
 */
final class Watchers<T> {
    private static final Logger log = LoggerFactory.getLogger(Watchers.class);
    private final Map<TaskGroupId, List<Consumer<T>>> byGroup = new ConcurrentHashMap<>();

    /** Adds a watcher; true if it is the group's first. */
    boolean add(TaskGroupId group, Consumer<T> watcher) {
        List<Consumer<T>> list = byGroup.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>());
        boolean first = list.isEmpty();
        list.add(watcher);
        return first;
    }

    /** Removes a watcher; true if it was the group's last. */
    boolean remove(TaskGroupId group, Consumer<T> watcher) {
        boolean[] last = {false};
        byGroup.computeIfPresent(group, (g, list) -> {
            last[0] = list.remove(watcher) && list.isEmpty();
            return list.isEmpty() ? null : list;
        });
        return last[0];
    }

    boolean has(TaskGroupId group) {
        return byGroup.containsKey(group);
    }

    Set<TaskGroupId> groups() {
        return byGroup.keySet();
    }

    void dispatch(TaskGroupId group, T news) {
        List<Consumer<T>> list = byGroup.get(group);
        if (list == null) {
            return;
        }
        for (Consumer<T> w : list) {
            try {
                w.accept(news);
            } catch (RuntimeException e) {
                log.warn("a watcher of task group {} failed", group, e);
            }
        }
    }

    void clear() {
        byGroup.clear();
    }
}
