package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.service.store.TaskLeases;
import dev.gantry.service.store.TaskStatuses;
import dev.gantry.service.store.TaskStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits acceptances and results from every endpoint connection in batches: whatever has queued up while
 * the previous commit ran goes into the next one. After each commit it fans the results out to their task
 * groups' watchers and only then acknowledges them to the endpoints: an instance that dies in between leaves
 * the results in the endpoint's outbox, and the instance that gets them again announces them again.
 */
public final class ResultWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultWriter.class);
    private static final int MAX_BATCH = 4000;

    private record Item(EndpointConnection from, List<TaskId> accepted, long acceptedAtMs, List<TaskResult> results) {}

    private final TaskStore tasks;
    private final TaskLeases leases;
    private final Recovery recovery;
    private final Broker broker;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(4096);
    private Thread thread;
    private volatile boolean open = true;

    public ResultWriter(TaskStore tasks, TaskLeases leases, Recovery recovery, Broker broker) {
        this.tasks = tasks;
        this.leases = leases;
        this.recovery = recovery;
        this.broker = broker;
    }

    public void start() {
        thread = Thread.ofVirtual().name("result-writer").start(this::run);
    }

    /** Queues a frame's acceptances and results; blocks while the writer is behind (back-pressure). */
    void submit(EndpointConnection from, List<TaskId> accepted, long acceptedAtMs, List<TaskResult> results) {
        try {
            queue.put(new Item(from, accepted, acceptedAtMs, results));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Item> items = new ArrayList<>();
        while (open) {
            try {
                items.add(queue.take());
                int size = items.get(0).results().size() + items.get(0).accepted().size();
                Item next;
                while (size < MAX_BATCH && (next = queue.poll()) != null) {
                    items.add(next);
                    size += next.results().size() + next.accepted().size();
                }
                commit(items);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("committing {} result frames failed ({}); their endpoints reconnect and resend them",
                        items.size(), e.getMessage());
                reconnect(items);
            } finally {
                items.clear();
            }
        }
    }

    private void commit(List<Item> items) {
        List<TaskId> accepted = new ArrayList<>();
        List<TaskResult> results = new ArrayList<>();
        long acceptedAt = 0;
        for (Item it : items) {
            accepted.addAll(it.accepted());
            results.addAll(it.results());
            acceptedAt = Math.max(acceptedAt, it.acceptedAtMs());
        }
        if (!accepted.isEmpty() && !results.isEmpty()) {
            // a task that also finished in this batch needs no hand-off write: its result row records it
            java.util.Set<TaskId> finished = new java.util.HashSet<>();
            results.forEach(r -> finished.add(r.task()));
            accepted.removeIf(finished::contains);
        }
        Set<TaskId> retried = retry(results);
        List<TaskResult> toRecord = retried.isEmpty() ? results : results.stream().filter(r -> !retried.contains(r.task())).toList();
        boolean[] recorded = tasks.record(accepted, acceptedAt, toRecord);
        fanOut(items, retried, recorded);
        acknowledge(items);
    }

    /**
     * Attempts lost to a system failure (or a user error, for tasks that asked) go back to their queue while
     * their task has retries left; returns those tasks, whose results are not recorded.
     */
    private Set<TaskId> retry(List<TaskResult> results) {
        List<TaskLeases.Lost> candidates = new ArrayList<>();
        for (TaskResult r : results) {
            TaskResult.Failure f = r.error();
            if (f != null && (f.code().systemFailure() || f.code() == ErrorCode.REMOTE_EXECUTION_ERROR)) {
                candidates.add(new TaskLeases.Lost(r.task(), r.attempt(), f.code(), f.userMessage(), r.startedAtMs()));
            }
        }
        if (candidates.isEmpty()) {
            return Set.of();
        }
        List<TaskId> requeued = new ArrayList<>();
        leases.retry(candidates, System.currentTimeMillis(), requeued);
        recovery.apply(new TaskLeases.Outcome(requeued, List.of()), "their attempts failed and they have retries left");
        return new HashSet<>(requeued);
    }

    /**
     * After a failed commit, the endpoints that sent the frames are asked to reconnect: they resend what is in
     * their outboxes once a commit can succeed again (a failing database also fails their hello, so they back off).
     */
    private static void reconnect(List<Item> items) {
        java.util.Set<EndpointConnection> from = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        items.forEach(it -> from.add(it.from()));
        from.forEach(c -> c.sender.closeSession(1011, "results could not be stored; send them again"));
    }

    private static void acknowledge(List<Item> items) {
        Map<EndpointConnection, List<TaskId>> byConnection = new IdentityHashMap<>();
        for (Item it : items) {
            if (!it.results().isEmpty()) {
                List<TaskId> ids = byConnection.computeIfAbsent(it.from(), c -> new ArrayList<>());
                it.results().forEach(r -> ids.add(r.task()));
            }
        }
        byConnection.forEach(EndpointConnection::acknowledged);
    }

    private void fanOut(List<Item> items, Set<TaskId> retried, boolean[] recorded) {
        Map<TaskGroupId, List<TaskStatus>> byGroup = new LinkedHashMap<>();
        Map<TaskId, TaskResult> unknownGroup = new HashMap<>();
        List<TaskId> duplicates = new ArrayList<>();
        int i = 0;
        for (Item it : items) {
            for (TaskResult r : it.results()) {
                if (retried.contains(r.task())) {
                    continue;
                }
                if (recorded[i++]) {
                    TaskGroupId g = it.from().groupOf(r.task());
                    if (g == null) {
                        unknownGroup.put(r.task(), r);
                    } else {
                        byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(TaskStatuses.of(r, g));
                    }
                } else {
                    log.info("dropped a late result for task {}: it had already ended", r.task());
                    duplicates.add(r.task());
                }
            }
        }
        if (!unknownGroup.isEmpty()) {
            tasks.groupsOf(unknownGroup.keySet()).forEach((task, g) ->
                    byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(TaskStatuses.of(unknownGroup.get(task), g)));
        }
        if (!duplicates.isEmpty()) {
            // the first result's announcement may have been lost with the instance that committed it
            tasks.statusesOf(duplicates).stream().filter(s -> !s.pending()).forEach(s ->
                    byGroup.computeIfAbsent(s.taskGroupId(), k -> new ArrayList<>()).add(s));
        }
        byGroup.forEach(broker::publishResults);
    }

    @Override
    public void close() {
        open = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
