package dev.gantry.service.channel;

import dev.gantry.broker.TaskConsumer;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open endpoint channel: the tasks sent on it (its {@link Dispatcher} sends them), what the endpoint may
 * report on, and what it is told back. The endpoint may report only on tasks this connection sent it and those
 * it held, dispatched to it, when it said hello ({@link #owns}).
 */
final class EndpointConnection implements Peer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointConnection.class);

    /** A task sent on this connection: its group, and the attempt sent. */
    private record Sent(TaskGroupId group, int attempt) {}

    private final EndpointId endpoint;
    final WsSender sender;
    private final ResultWriter writer;
    private final Clock clock;
    private final Dispatcher dispatcher;
    private final Map<TaskId, Sent> inFlight = new ConcurrentHashMap<>();
    private final Set<TaskId> held = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> onClose = new CopyOnWriteArrayList<>();
    private final AtomicBoolean rejectedBefore = new AtomicBoolean();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final int heartbeatPeriodMs;
    private volatile long lastHeardMs;

    EndpointConnection(
            EndpointId endpoint,
            WsSender sender,
            TaskConsumer consumer,
            int credit,
            Function<FunctionId, Optional<FunctionDoc>> functions,
            ResultWriter writer,
            int heartbeatPeriodMs,
            Clock clock) {
        this.endpoint = endpoint;
        this.sender = sender;
        this.writer = writer;
        this.clock = clock;
        this.heartbeatPeriodMs = heartbeatPeriodMs;
        this.lastHeardMs = clock.millis();
        this.dispatcher = new Dispatcher(this, consumer, credit, functions, writer, clock);
    }

    void start() {
        dispatcher.start();
    }

    Dispatcher dispatcher() {
        return dispatcher;
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

    /** The dispatcher is about to send {@code task} (or lease it first): it counts against the credit. */
    void sending(TaskMessage task) {
        inFlight.put(task.task(), new Sent(task.group(), task.attempt()));
    }

    /** Tasks taken from the broker but not sent after all (cancelled, ended, or leased elsewhere). */
    void unsent(List<TaskId> tasks) {
        tasks.forEach(inFlight::remove);
    }

    int inFlightCount() {
        return inFlight.size();
    }

    @Override
    public void leaseWritten(List<TaskMessage> tasks, Throwable failed) {
        if (failed != null) {
            sender.closeSession(1011, "leases could not be stored");
        } else {
            dispatcher.ack(tasks.stream().map(TaskMessage::task).toList());
        }
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
        dispatcher.ack(tasks);
        for (TaskResult r : results) {
            inFlight.computeIfPresent(r.task(), (t, s) -> s.attempt() <= r.attempt() ? null : s);
            held.remove(r.task());
        }
        dispatcher.freed();
        sender.send(new ChannelMessage.ResultsAck(tasks));
    }

    @Override
    public void reconnect(String why) {
        sender.closeSession(1011, why);
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
        dispatcher.close();
        sender.close();
    }
}
