package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskMessage;
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
import java.util.function.BiConsumer;
import java.util.concurrent.TimeUnit;
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

    /**
     * A frame's acceptances and results; or tasks to lease before sending them; or notes that tasks wait for
     * nodes ({@code nodeWaits}, at {@code acceptedAtMs}).
     */
    /**
     * A frame's acceptances and results; or tasks to lease before sending them, with what to do once the
     * commit is done ({@code leased}, called in the commit); or notes that tasks wait for nodes
     * ({@code nodeWaits}, at {@code acceptedAtMs}).
     */
    private record Item(EndpointConnection from, List<TaskId> accepted, long acceptedAtMs, List<TaskResult> results,
            List<TaskMessage> lease, BiConsumer<Set<TaskId>, Throwable> leased, List<TaskId> nodeWaits) {
        Item(EndpointConnection from, List<TaskId> accepted, long acceptedAtMs, List<TaskResult> results) {
            this(from, accepted, acceptedAtMs, results, List.of(), null, List.of());
        }

        static Item lease(List<TaskMessage> tasks, BiConsumer<Set<TaskId>, Throwable> leased) {
            return new Item(null, List.of(), 0, List.of(), tasks, leased, List.of());
        }

        int size() {
            return accepted.size() + results.size() + lease.size() + nodeWaits.size();
        }
    }

    private final TaskStore tasks;
    private final TaskLeases leases;
    private final Recovery recovery;
    private final Broker broker;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(4096);
    static final long START_DELAY_MS = 500;
    /** Tasks accepted by their endpoints whose start is not written yet, with when they were accepted. */
    private final DelayedNotes starting = new DelayedNotes();
    /** Tasks their endpoint holds until a pilot block has room, with since when. */
    private final DelayedNotes waitingForNodes = new DelayedNotes();
    /** How long a task may run before its lease is written; one that ends sooner is never leased. */
    static final long LEASE_DELAY_MS = 500;

    /** A task sent before its lease was written: the broker holds it until its result or its lease is committed. */
    private record Unleased(EndpointConnection from, TaskMessage task, long sentAtMs) {}

    private final Map<TaskId, Unleased> unleased = new java.util.concurrent.ConcurrentHashMap<>();
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

    /**
     * Queues a frame's acceptances and results; blocks while the writer is behind (back-pressure). An
     * acceptance is written only if the task has not finished {@link #START_DELAY_MS} later: a short task's
     * result row records its start, so it costs no write of its own.
     */
    void submit(EndpointConnection from, List<TaskId> accepted, long acceptedAtMs, List<TaskResult> results) {
        accepted.forEach(t -> {
            starting.put(t, acceptedAtMs);
            waitingForNodes.remove(t);
        });
        if (results.isEmpty()) {
            return;
        }
        results.forEach(r -> {
            starting.remove(r.task());
            waitingForNodes.remove(r.task());
            unleased.remove(r.task());
        });
        try {
            queue.put(new Item(from, List.of(), 0, results));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The endpoint holds these tasks until a block has room: noted only if they still wait after the delay. */
    void waitingForNodes(List<TaskId> tasks, long atMs) {
        tasks.forEach(t -> waitingForNodes.put(t, atMs));
    }

    /**
     * Leases tasks about to be dispatched ({@code waiting-for-ep} → {@code waiting-for-launch}) in the next
     * commit, with whatever results are waiting: one commit serves both directions. Completes with the tasks
     * leased to {@code then}, in the commit (so that what it sends is queued before the acknowledgement of any
     * later result), or the failure. For tasks the broker redelivered: their last consumer went away while they
     * were out.
     */
    void leaseLater(List<TaskMessage> tasks, BiConsumer<Set<TaskId>, Throwable> then) throws InterruptedException {
        queue.put(Item.lease(tasks, then));
    }

    /**
     * {@code from} is about to send these tasks (taken from the broker for the first time) without a lease: it
     * is written only if they are still out {@link #LEASE_DELAY_MS} later. Until then the broker holds them, and
     * gives them to the next consumer if the connection closes. Most tasks end sooner and cost no lease write.
     */
    void sendingUnleased(EndpointConnection from, List<TaskMessage> tasks) {
        long now = System.currentTimeMillis();
        tasks.forEach(t -> unleased.put(t.task(), new Unleased(from, t, now)));
    }

    /** The connection closed: the broker gives its unleased tasks to the next consumer, so they are not leased here. */
    void forget(EndpointConnection from) {
        unleased.values().removeIf(u -> u.from() == from);
    }

    /** Tasks sent more than the delay ago and still out, by connection: taken out to be leased. */
    private List<Item> dueLeases() {
        long cutoff = System.currentTimeMillis() - LEASE_DELAY_MS;
        Map<EndpointConnection, List<TaskMessage>> due = new IdentityHashMap<>();
        for (Unleased u : unleased.values()) {
            if (u.sentAtMs() <= cutoff && unleased.remove(u.task().task(), u) && u.from().isOpen()) {
                due.computeIfAbsent(u.from(), c -> new ArrayList<>()).add(u.task());
            }
        }
        List<Item> out = new ArrayList<>();
        due.forEach((from, tasks) -> out.add(Item.lease(tasks, (ok, failed) -> from.leaseWritten(tasks, failed))));
        return out;
    }

    private void run() {
        List<Item> items = new ArrayList<>();
        long nextStarts = 0;
        while (open) {
            try {
                if (System.currentTimeMillis() >= nextStarts) {
                    long[] at = new long[1];
                    long cutoff = System.currentTimeMillis() - START_DELAY_MS;
                    items.addAll(dueLeases()); // first: a start or a wait is written only for a leased task
                    List<TaskId> due = starting.due(cutoff, at);
                    if (!due.isEmpty()) {
                        items.add(new Item(null, due, at[0], List.of()));
                    }
                    List<TaskId> waits = waitingForNodes.due(cutoff, at);
                    if (!waits.isEmpty()) {
                        items.add(new Item(null, List.of(), at[0], List.of(), List.of(), null, waits));
                    }
                    nextStarts = System.currentTimeMillis() + START_DELAY_MS / 2;
                }
                Item first = queue.poll(START_DELAY_MS / 2, TimeUnit.MILLISECONDS);
                if (first != null) {
                    items.add(first);
                }
                if (items.isEmpty()) {
                    continue;
                }
                int size = items.stream().mapToInt(Item::size).sum();
                Item next;
                while (size < MAX_BATCH && (next = queue.poll()) != null) {
                    items.add(next);
                    size += next.size();
                }
                commit(items);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("committing {} result frames failed ({}); their endpoints reconnect and resend them",
                        items.size(), e.getMessage());
                items.stream().filter(it -> it.leased() != null).forEach(it -> it.leased().accept(null, e));
                reconnect(items);
            } finally {
                items.clear();
            }
        }
    }

    private void commit(List<Item> items) {
        List<TaskId> accepted = new ArrayList<>();
        List<TaskResult> results = new ArrayList<>();
        List<TaskMessage> lease = new ArrayList<>();
        List<TaskId> nodeWaits = new ArrayList<>();
        long acceptedAt = 0;
        long waitingSince = 0;
        for (Item it : items) {
            accepted.addAll(it.accepted());
            results.addAll(it.results());
            lease.addAll(it.lease());
            nodeWaits.addAll(it.nodeWaits());
            if (it.nodeWaits().isEmpty()) {
                acceptedAt = Math.max(acceptedAt, it.acceptedAtMs());
            } else {
                waitingSince = Math.max(waitingSince, it.acceptedAtMs());
            }
        }
        if (!accepted.isEmpty() && !results.isEmpty()) {
            // a task that also finished in this batch needs no hand-off write: its result row records it
            java.util.Set<TaskId> finished = new java.util.HashSet<>();
            results.forEach(r -> finished.add(r.task()));
            accepted.removeIf(finished::contains);
        }
        Set<TaskId> retried = retry(results);
        List<TaskResult> toRecord = retried.isEmpty() ? results : results.stream().filter(r -> !retried.contains(r.task())).toList();
        TaskStore.Recorded done = tasks.record(new TaskStore.Progress(lease, nodeWaits, waitingSince, accepted, acceptedAt),
                toRecord, System.currentTimeMillis());
        for (Item it : items) {
            if (it.leased() != null) {
                it.leased().accept(it.lease().stream().map(TaskMessage::task).filter(done.leased()::contains)
                        .collect(java.util.stream.Collectors.toSet()), null);
            }
        }
        fanOut(items, retried, done.results());
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
        items.stream().filter(it -> it.from() != null).forEach(it -> from.add(it.from()));
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
