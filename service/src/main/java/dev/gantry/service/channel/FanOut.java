package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.service.store.TaskAudit;
import dev.gantry.service.store.TaskCommits;
import dev.gantry.service.store.TaskStatuses;
import dev.gantry.service.store.TaskStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a commit: the results it ended go to their task groups' watchers, and only then are they
 * acknowledged to their endpoints, so that an instance that dies in between leaves them in the endpoint's
 * outbox, and the instance that gets them again announces them again. Neither step waits on a peer: the
 * broker's watchers and the endpoints' senders queue, and close a peer that does not keep up.
 * Results whose tasks' last output is still being relayed are announced (and acknowledged) after it, by the output
 * relay, so that a watcher sees the output first and the writer does not wait.
 * A high-assurance endpoint's results are announced as notices only: watchers fetch them over REST.
 */
public final class FanOut {
    private static final Logger log = LoggerFactory.getLogger(FanOut.class);
    private final TaskStore tasks;
    private final Broker broker;
    private final OutputRelay output;
    private final Predicate<EndpointId> highAssurance;
    private final TaskAudit audit;

    public FanOut(
            TaskStore tasks, Broker broker, OutputRelay output, Predicate<EndpointId> highAssurance, TaskAudit audit) {
        this.audit = audit;
        this.tasks = tasks;
        this.broker = broker;
        this.output = output;
        this.highAssurance = highAssurance;
    }

    /** Announces the results of {@code items} as {@code done} recorded them, then acknowledges them. */
    void after(List<WorkItem.Results> items, TaskCommits.Committed done) {
        Map<TaskGroupId, List<TaskStatus>> byGroup = announced(items, done);
        output.afterRelayed(
                byGroup.values().stream()
                        .flatMap(List::stream)
                        .map(TaskStatus::taskId)
                        .toList(),
                () -> {
                    byGroup.forEach(broker::publishResults);
                    acknowledge(items);
                });
    }

    /** What {@code done} ended of {@code items}, by task group, as their watchers are shown it. */
    private Map<TaskGroupId, List<TaskStatus>> announced(List<WorkItem.Results> items, TaskCommits.Committed done) {
        Map<TaskGroupId, List<TaskStatus>> byGroup = new LinkedHashMap<>();
        Map<TaskId, TaskResult> unknownGroup = new HashMap<>();
        List<TaskId> duplicates = new ArrayList<>();
        int i = 0;
        Set<TaskId> withheld = new HashSet<>(); // tasks of high-assurance endpoints: announced without outcome
        for (WorkItem.Results it : items) {
            boolean ha = highAssurance.test(it.from().endpoint());
            List<TaskResult> stored = new ArrayList<>();
            List<TaskResult> retried = new ArrayList<>();
            for (TaskResult r : it.results()) {
                boolean ended = done.ended()[i++];
                if (ha) {
                    withheld.add(r.task());
                }
                if (done.requeued().contains(r.task())) {
                    if (ha) {
                        retried.add(r);
                    }
                    continue;
                }
                if (!ended) {
                    log.debug("dropped a late result for task {}: it had already ended", r.task());
                    duplicates.add(r.task());
                    continue;
                }
                if (ha) {
                    stored.add(r);
                }
                TaskGroupId g = it.from().groupOf(r.task());
                if (g == null) {
                    unknownGroup.put(r.task(), r);
                } else {
                    byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(shown(TaskStatuses.of(r, g), withheld));
                }
            }
            audit.stored(it.from().endpoint(), stored, retried);
        }
        if (!unknownGroup.isEmpty()) {
            tasks.groupsOf(unknownGroup.keySet())
                    .forEach((task, g) -> byGroup.computeIfAbsent(g, k -> new ArrayList<>())
                            .add(shown(TaskStatuses.of(unknownGroup.get(task), g), withheld)));
        }
        if (!duplicates.isEmpty()) {
            // the first result's announcement may have been lost with the instance that committed it
            tasks.statusesOf(duplicates).stream()
                    .filter(s -> !s.pending())
                    .forEach(s -> byGroup.computeIfAbsent(s.taskGroupId(), k -> new ArrayList<>())
                            .add(shown(s, withheld)));
        }
        return byGroup;
    }

    private static TaskStatus shown(TaskStatus s, Set<TaskId> withheld) {
        return withheld.contains(s.taskId()) ? s.notice() : s;
    }

    private static void acknowledge(List<WorkItem.Results> items) {
        Map<Peer, List<TaskResult>> byPeer = new IdentityHashMap<>();
        for (WorkItem.Results it : items) {
            byPeer.computeIfAbsent(it.from(), c -> new ArrayList<>()).addAll(it.results());
        }
        byPeer.forEach(Peer::acknowledged);
    }
}
