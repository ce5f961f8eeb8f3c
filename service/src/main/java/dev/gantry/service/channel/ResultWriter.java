package dev.gantry.service.channel;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.service.store.Report;
import dev.gantry.service.store.TaskCommits;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits what every endpoint connection needs written, in batches: whatever has queued up while the previous
 * commit ran, and the delayed writes that came due, go into the next one. A batch that fails is committed again
 * item by item, so that a bad item fails only its sender. After each commit, the results go to their watchers
 * and then to their endpoints as acknowledgements ({@link FanOut}); nothing in a commit waits on a peer.
 */
public final class ResultWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultWriter.class);
    private static final int MAX_BATCH = 4000;
    private static final long POLL_MS = DelayedWrites.DELAY_MS / 2;

    /** The store's side of a commit. */
    public interface Store {
        TaskCommits.Committed commit(TaskCommits.Batch batch, long nowMs);
    }

    private final Store store;
    private final DelayedWrites delayed = new DelayedWrites();
    private final BiConsumer<List<WorkItem.Results>, TaskCommits.Committed> after;
    private final Consumer<Set<TaskId>> requeued;
    private final Clock clock;
    private final BlockingQueue<WorkItem> queue = new ArrayBlockingQueue<>(4096);
    private final List<WorkItem> items = new ArrayList<>();
    private long nextDueMs;
    private volatile boolean open = true;
    private Thread thread;

    /**
     * @param after    what follows each commit (the fan-out and acknowledgements of its results)
     * @param requeued called with the tasks whose failed attempts went back to their queue
     */
    ResultWriter(
            Store store,
            BiConsumer<List<WorkItem.Results>, TaskCommits.Committed> after,
            Consumer<Set<TaskId>> requeued,
            Clock clock) {
        this.store = store;
        this.after = after;
        this.requeued = requeued;
        this.clock = clock;
    }

    public static ResultWriter create(Store store, FanOut fanOut, Recovery recovery, Clock clock) {
        return new ResultWriter(store, fanOut::after, recovery::requeued, clock);
    }

    public synchronized void start() {
        if (thread == null && open) {
            thread = Thread.ofVirtual().name("result-writer").start(this::run);
        }
    }

    /** Queues a frame's results; blocks while the writer is behind (back-pressure on that frame's sender). */
    void submit(Peer from, List<TaskResult> results) throws InterruptedException {
        if (!results.isEmpty()) {
            delayed.ended(from, results.stream().map(TaskResult::task).toList());
            queue.put(new WorkItem.Results(from, results));
        }
    }

    /** The engine took these tasks: their start is written only if they have not ended a delay later. */
    void accepted(Peer from, List<TaskId> tasks, long atMs) {
        delayed.accepted(from, tasks, atMs);
    }

    /** The endpoint holds these tasks until a block has room: noted only if they still wait after the delay. */
    void waitingForNodes(Peer from, List<TaskId> tasks, long atMs) {
        delayed.waitingForNodes(from, tasks, atMs);
    }

    /**
     * Leases tasks about to be dispatched in the next commit; {@code then} gets the tasks leased, in the commit
     * (so that what it sends is queued before the acknowledgement of any later result), or the failure.
     */
    void leaseNow(List<TaskMessage> tasks, BiConsumer<Set<TaskId>, Throwable> then) throws InterruptedException {
        long now = clock.millis();
        queue.put(new WorkItem.Leases(tasks, tasks.stream().map(t -> now).toList(), then));
    }

    /** {@code from} sends these tasks without a lease: it is written only if they are still out a delay later. */
    void sendingUnleased(Peer from, List<TaskMessage> tasks) {
        delayed.sendingUnleased(from, tasks, clock.millis());
    }

    /** The connection closed: nothing it sent unleased is leased now. */
    void forget(Peer from) {
        delayed.forget(from);
    }

    private void run() {
        while (open) {
            try {
                step(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One turn: the writes that came due and what has queued (waiting up to {@code pollMs}), in one commit. */
    void step(long pollMs) throws InterruptedException {
        long now = clock.millis();
        if (now >= nextDueMs) {
            items.addAll(delayed.due(now));
            nextDueMs = now + POLL_MS;
        }
        WorkItem first = items.isEmpty() ? queue.poll(pollMs, TimeUnit.MILLISECONDS) : queue.poll();
        if (first != null) {
            items.add(first);
        }
        int size = items.stream().mapToInt(WorkItem::size).sum();
        WorkItem next;
        while (size < MAX_BATCH && (next = queue.poll()) != null) {
            items.add(next);
            size += next.size();
        }
        try {
            if (!items.isEmpty()) {
                commitIsolated(items);
            }
        } finally {
            items.clear();
        }
    }

    /** Commits {@code batch}; if that fails, each item alone, so that one bad item fails only its sender. */
    private void commitIsolated(List<WorkItem> batch) {
        try {
            commit(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                failed(batch.get(0), e);
                return;
            }
            log.warn("a commit of {} items failed ({}); committing them one by one", batch.size(), e.getMessage());
            for (WorkItem it : batch) {
                try {
                    commit(List.of(it));
                } catch (RuntimeException alone) {
                    failed(it, alone);
                }
            }
        }
    }

    private void commit(List<WorkItem> batch) {
        List<WorkItem.Results> results = new ArrayList<>();
        List<Report.Result> reports = new ArrayList<>();
        List<TaskMessage> lease = new ArrayList<>();
        List<Long> leaseAt = new ArrayList<>();
        List<Report.Started> starts = new ArrayList<>();
        List<Report.WaitingForNodes> waits = new ArrayList<>();
        for (WorkItem it : batch) {
            switch (it) {
                case WorkItem.Results r -> {
                    results.add(r);
                    r.results()
                            .forEach(t -> reports.add(new Report.Result(r.from().endpoint(), t)));
                }
                case WorkItem.Leases l -> {
                    lease.addAll(l.tasks());
                    leaseAt.addAll(l.atMs());
                }
                case WorkItem.Notes n -> {
                    starts.addAll(n.starts());
                    waits.addAll(n.waits());
                }
            }
        }
        TaskCommits.Committed done =
                store.commit(new TaskCommits.Batch(reports, lease, leaseAt, starts, waits), clock.millis());
        try {
            afterCommit(batch, results, done);
        } catch (RuntimeException e) {
            log.warn("after a commit: {}", e.toString()); // committed: never committed again
        }
    }

    private void afterCommit(List<WorkItem> batch, List<WorkItem.Results> results, TaskCommits.Committed done) {
        for (WorkItem it : batch) {
            if (it instanceof WorkItem.Leases l) {
                l.then()
                        .accept(
                                l.tasks().stream()
                                        .map(TaskMessage::task)
                                        .filter(done.leased()::contains)
                                        .collect(java.util.stream.Collectors.toSet()),
                                null);
            }
        }
        after.accept(results, done);
        if (!done.requeued().isEmpty()) {
            // after the acknowledgements: the next attempt may reach the same connection at once
            requeued.accept(done.requeued());
        }
    }

    /** An item that cannot be committed: its sender sends it again after reconnecting. */
    private static void failed(WorkItem it, RuntimeException e) {
        switch (it) {
            case WorkItem.Results r -> {
                log.error(
                        "results of endpoint {} could not be stored ({}); it reconnects and sends them again",
                        r.from().endpoint(),
                        e.getMessage());
                r.from().reconnect("results could not be stored; send them again");
            }
            case WorkItem.Leases l -> l.then().accept(null, e);
            case WorkItem.Notes n ->
                log.warn("{} start and wait notes could not be stored: {}", n.size(), e.getMessage());
        }
    }

    /** Stops after the commit under way, if any; idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            open = false;
            t = thread;
        }
        if (t == null) {
            return;
        }
        try {
            // an interrupt would close the database connection under a commit: wait for the loop to see open
            if (!t.join(Duration.ofSeconds(5))) {
                t.interrupt();
                t.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
