package dev.gantry.service.channel;

import dev.gantry.broker.Delivery;
import dev.gantry.broker.TaskConsumer;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open endpoint channel. Its dispatcher moves tasks from the broker to the endpoint, never more than the
 * endpoint's credit; function code goes ahead of the first task that needs it on this connection. A task taken
 * from the broker for the first time is sent at once, unleased; one redelivered (its last consumer went away
 * while it was out) is leased before it is sent, so a task that kills its endpoint uses up its retries. The
 * endpoint may report only on tasks this connection sent it and those it held, dispatched to it, when it said
 * hello ({@link #owns}).
 */
final class EndpointConnection implements Peer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointConnection.class);
    private static final int MAX_FRAME_TASKS = 1000;
    /** Cancelled tasks whose broker messages may still come: dropped at dispatch. Bounded, oldest forgotten. */
    static final int CANCELLED_KEPT = 100_000;

    private final EndpointId endpoint;
    final WsSender sender;
    private final TaskConsumer consumer;
    private final Function<FunctionId, Optional<FunctionDoc>> functions;
    private final ResultWriter writer;
    private final Clock clock;
    private final Set<FunctionId> functionsSent = new HashSet<>();
    /** A task sent on this connection: its group, and the attempt sent. */
    private record Sent(TaskGroupId group, int attempt) {}

    private final Map<TaskId, Sent> inFlight = new ConcurrentHashMap<>();
    private final Set<TaskId> held = ConcurrentHashMap.newKeySet();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock creditLock = new ReentrantLock();
    private final Condition creditFreed = creditLock.newCondition();
    private final Map<TaskId, Boolean> cancelled = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TaskId, Boolean> e) {
            return size() > CANCELLED_KEPT;
        }
    });
    private final List<AutoCloseable> onClose = new CopyOnWriteArrayList<>();
    private final AtomicBoolean rejectedBefore = new AtomicBoolean();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile int credit;
    private final int heartbeatPeriodMs;
    private volatile long lastHeardMs;
    private Thread dispatcher;

    EndpointConnection(EndpointId endpoint, WsSender sender, TaskConsumer consumer, int credit,
            Function<FunctionId, Optional<FunctionDoc>> functions, ResultWriter writer, int heartbeatPeriodMs,
            Clock clock) {
        this.heartbeatPeriodMs = heartbeatPeriodMs;
        this.endpoint = endpoint;
        this.sender = sender;
        this.consumer = consumer;
        this.credit = Math.max(0, credit);
        this.functions = functions;
        this.writer = writer;
        this.clock = clock;
        this.lastHeardMs = clock.millis();
    }

    void start() {
        dispatcher = Thread.ofVirtual().name("dispatch-" + endpoint).start(this::dispatch);
    }

    @Override
    public EndpointId endpoint() {
        return endpoint;
    }

    /** Tasks the endpoint held when it said hello, which were dispatched to it: it may report on them. */
    void held(Set<TaskId> tasks) {
        held.addAll(tasks);
    }

    /** Whether the endpoint may report on {@code task}: this connection sent it, or it held it at hello. */
    boolean owns(TaskId task) {
        return inFlight.containsKey(task) || held.contains(task);
    }

    /** True the first time this connection sent a frame about a task it does not own (logged once). */
    boolean firstRejection() {
        return !rejectedBefore.getAndSet(true);
    }

    /** Tasks cancelled before this connection took the endpoint over: never sent. */
    void cancelledBefore(List<TaskId> tasks) {
        tasks.forEach(t -> cancelled.put(t, Boolean.TRUE));
    }

    /**
     * Passes the endpoint's control notices on: tasks cancelled, which it may hold (a task is sent before its
     * lease is written), and which are never sent from now on.
     */
    void control(List<TaskStatus> notices) {
        List<TaskId> ids = notices.stream().filter(n -> n.status().equals("cancelled")).map(TaskStatus::taskId).toList();
        ids.forEach(t -> cancelled.put(t, Boolean.TRUE));
        if (!ids.isEmpty() && open.get()) {
            sender.send(new ChannelMessage.Cancel(ids));
        }
    }

    /**
     * Polls the broker within the endpoint's credit. Fresh deliveries are sent at once; redelivered ones are
     * leased by the result writer's next commit, which then sends them itself ({@link #leased}), so that their
     * frame is queued before the acknowledgement of any result committed later. Polled tasks count against
     * the credit from the start.
     */
    private void dispatch() {
        try {
            while (open.get()) {
                if (!consumer.isOpen()) {
                    log.warn("endpoint {}: the broker closed its task consumer; closing the channel", endpoint);
                    sender.closeSession(1011, "broker connection lost");
                    return;
                }
                int free = awaitCredit();
                List<Delivery> batch = free <= 0 ? List.of()
                        : consumer.poll(Math.min(free, MAX_FRAME_TASKS), Duration.ofMillis(500));
                if (!batch.isEmpty()) {
                    dispatch(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("dispatcher of endpoint {} failed", endpoint, e);
            sender.closeSession(1011, "dispatcher failed");
        }
    }

    private void dispatch(List<Delivery> batch) throws InterruptedException {
        List<TaskMessage> fresh = new ArrayList<>(batch.size());
        List<TaskMessage> again = new ArrayList<>();
        for (Delivery d : batch) {
            inFlight.put(d.task().task(), new Sent(d.task().group(), d.task().attempt()));
            (d.redelivered() ? again : fresh).add(d.task());
        }
        if (!again.isEmpty()) {
            writer.leaseNow(again, (taken, failed) -> leased(again, taken, failed));
        }
        if (!fresh.isEmpty()) {
            sendUnleased(fresh);
        }
    }

    private int awaitCredit() throws InterruptedException {
        creditLock.lock();
        try {
            int free = credit - inFlight.size();
            if (free <= 0) {
                creditFreed.await(500, TimeUnit.MILLISECONDS);
                free = credit - inFlight.size();
            }
            return free;
        } finally {
            creditLock.unlock();
        }
    }

    /**
     * A delayed lease is committed (or failed): the broker forgets the tasks, which the database holds now. If
     * the commit failed, the channel closes, and the broker gives the tasks to the next consumer.
     */
    @Override
    public void leaseWritten(List<TaskMessage> tasks, Throwable failed) {
        if (failed != null) {
            sender.closeSession(1011, "leases could not be stored");
        } else {
            consumer.ack(tasks.stream().map(TaskMessage::task).toList());
        }
    }

    /**
     * Sends tasks taken from the broker for the first time at once, without reading or writing the database:
     * their lease is written only if they run long. Tasks this connection knows were cancelled are acknowledged
     * and dropped; a cancel that races with the send reaches the endpoint as a notice.
     */
    private void sendUnleased(List<TaskMessage> fresh) {
        List<TaskMessage> out = fresh;
        if (!cancelled.isEmpty()) {
            List<TaskId> dropped = fresh.stream().map(TaskMessage::task).filter(cancelled::containsKey).toList();
            if (!dropped.isEmpty()) {
                drop(dropped);
                out = fresh.stream().filter(t -> !cancelled.containsKey(t.task())).toList();
            }
        }
        if (!out.isEmpty()) {
            writer.sendingUnleased(this, out);
            send(out);
        }
    }

    private void drop(List<TaskId> tasks) {
        consumer.ack(tasks);
        tasks.forEach(inFlight::remove);
        signal();
        log.debug("endpoint {}: {} tasks were no longer waiting", endpoint, tasks.size());
    }

    /**
     * Called by the result writer, in its commit, for redelivered tasks: the broker forgets them (the database
     * holds them now) and those leased are sent; those no longer waiting (ended, cancelled, or already leased:
     * the endpoint reconnected holding them) are dropped and free their credit. If the commit failed, the
     * channel closes, and the broker gives the tasks to the next consumer.
     */
    private void leased(List<TaskMessage> tasks, Set<TaskId> taken, Throwable failed) {
        if (failed != null) {
            sender.closeSession(1011, "leases could not be stored");
            return;
        }
        List<TaskId> all = tasks.stream().map(TaskMessage::task).toList();
        List<TaskId> dropped = all.stream().filter(t -> !taken.contains(t)).toList();
        consumer.ack(all);
        if (!dropped.isEmpty()) {
            drop(dropped);
        }
        List<TaskMessage> out = dropped.isEmpty() ? tasks : tasks.stream().filter(t -> taken.contains(t.task())).toList();
        if (!out.isEmpty() && open.get()) {
            send(out);
        }
    }

    /**
     * Queues tasks, each function's code ahead of its first task (the dispatcher and the writer both send; the
     * lock keeps that order and is never held while waiting on the endpoint).
     */
    private void send(List<TaskMessage> batch) {
        List<TaskResult> unrunnable = new ArrayList<>();
        sendLock.lock();
        try {
            List<FunctionDoc> code = new ArrayList<>();
            List<TaskMessage> out = new ArrayList<>(batch.size());
            for (TaskMessage t : batch) {
                if (!functionsSent.contains(t.function())) {
                    Optional<FunctionDoc> doc = functions.apply(t.function());
                    if (doc.isEmpty()) {
                        unrunnable.add(unrunnable(t));
                        continue;
                    }
                    functionsSent.add(t.function());
                    code.add(doc.get());
                }
                out.add(t);
            }
            if (!code.isEmpty()) {
                sender.send(new ChannelMessage.Functions(code));
            }
            if (!out.isEmpty()) {
                sender.send(new ChannelMessage.Tasks(out));
            }
        } finally {
            sendLock.unlock();
        }
        if (!unrunnable.isEmpty()) {
            Thread.ofVirtual().name("unrunnable-" + endpoint).start(() -> {
                try {
                    writer.submit(this, unrunnable);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private TaskResult unrunnable(TaskMessage t) {
        long now = clock.millis();
        return new TaskResult(t.task(), t.attempt(), "function " + t.function() + " was deleted before the task ran",
                new TaskResult.Failure(ErrorCode.FUNCTION_UNAVAILABLE, "function " + t.function() + " no longer exists",
                        null), now, now);
    }

    /** The endpoint's credit; 0 while it drains before stopping (nothing more is sent). */
    void creditChanged(int newCredit) {
        credit = Math.max(0, newCredit);
        signal();
    }

    @Override
    public boolean isOpen() {
        return open.get();
    }

    void heard() {
        lastHeardMs = clock.millis();
    }

    long lastHeardMs() {
        return lastHeardMs;
    }

    int heartbeatPeriodMs() {
        return heartbeatPeriodMs;
    }

    @Override
    public TaskGroupId groupOf(TaskId task) {
        Sent s = inFlight.get(task);
        return s == null ? null : s.group();
    }

    /**
     * Results are committed: free their credit and let the endpoint drop them. A later attempt of the same task,
     * sent meanwhile, stays in flight.
     */
    @Override
    public void acknowledged(List<TaskResult> results) {
        List<TaskId> tasks = results.stream().map(TaskResult::task).toList();
        consumer.ack(tasks);
        for (TaskResult r : results) {
            inFlight.computeIfPresent(r.task(), (t, s) -> s.attempt() <= r.attempt() ? null : s);
            held.remove(r.task());
        }
        signal();
        sender.send(new ChannelMessage.ResultsAck(tasks));
    }

    @Override
    public void reconnect(String why) {
        sender.closeSession(1011, why);
    }

    private void signal() {
        creditLock.lock();
        try {
            creditFreed.signalAll();
        } finally {
            creditLock.unlock();
        }
    }

    /** Closes {@code handle} (a subscription) with this connection. */
    void onClose(AutoCloseable handle) {
        onClose.add(handle);
    }

    /** Idempotent, and safe from any thread. */
    @Override
    public void close() {
        if (!open.getAndSet(false)) {
            return;
        }
        writer.forget(this);
        for (AutoCloseable h : onClose) {
            try {
                h.close();
            } catch (Exception e) {
                log.debug("closing a subscription failed: {}", e.toString());
            }
        }
        consumer.close();
        sender.close();
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
    }
}
