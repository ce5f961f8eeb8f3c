package dev.gantry.service.channel;

import dev.gantry.broker.Delivery;
import dev.gantry.broker.TaskConsumer;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.LogKeys;
import dev.gantry.protocol.RecentTasks;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Moves tasks from the broker to one endpoint's channel, never more than the endpoint's credit; function code
 * goes ahead of the first task that needs it on the channel. A task taken from the broker for the first time is
 * sent at once, unleased; one redelivered (its last consumer went away while it was out) is leased before it is
 * sent, so a task that kills its endpoint uses up its retries.
 */
final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final int MAX_FRAME_TASKS = 1000;

    private final EndpointConnection channel;
    private final TaskConsumer consumer;
    private final Function<FunctionId, Optional<FunctionDoc>> functions;
    private final ResultWriter writer;
    private final Clock clock;
    private final Set<FunctionId> functionsSent = new HashSet<>();
    private final ReentrantLock sendLock = new ReentrantLock();
    /** Cancelled tasks whose broker messages may still come: dropped at dispatch. */
    static final int CANCELLED_KEPT = 100_000;

    private final RecentTasks cancelled = new RecentTasks(CANCELLED_KEPT);
    private final Credit credit;
    /** Tasks polled beyond the credit the endpoint has now (the dispatcher thread's only). */
    private final List<Delivery> held = new ArrayList<>();

    private Thread thread;

    Dispatcher(
            EndpointConnection channel,
            TaskConsumer consumer,
            int credit,
            Function<FunctionId, Optional<FunctionDoc>> functions,
            ResultWriter writer,
            Clock clock) {
        this.channel = channel;
        this.consumer = consumer;
        this.credit = new Credit(credit);
        this.functions = functions;
        this.writer = writer;
        this.clock = clock;
    }

    void start() {
        thread = Thread.ofVirtual().name("dispatch-" + channel.endpoint()).start(this::run);
    }

    /** Tasks cancelled before this connection took the endpoint over: never sent. */
    void cancelledBefore(List<TaskId> tasks) {
        cancelled.addAll(tasks);
    }

    /**
     * Passes the endpoint's control notices on: tasks cancelled, which it may hold (a task is sent before its
     * lease is written), and which are never sent from now on.
     */
    void control(List<TaskStatus> notices) {
        List<TaskId> ids = notices.stream()
                .filter(n -> n.status().equals(TaskState.CANCELLED.wire()))
                .map(TaskStatus::taskId)
                .toList();
        cancelled.addAll(ids);
        if (!ids.isEmpty() && channel.isOpen()) {
            channel.sender.send(new ChannelMessage.Cancel(ids));
        }
    }

    /** The endpoint's credit; 0 while it drains before stopping (nothing more is sent). */
    void creditChanged(int newCredit) {
        credit.set(newCredit);
    }

    /** The broker forgets these tasks: their results or leases are committed. */
    void ack(List<TaskId> tasks) {
        consumer.ack(tasks);
    }

    /** Credit was freed: the dispatcher looks again. */
    void freed() {
        credit.freed();
    }

    /**
     * Polls the broker within the endpoint's credit. Fresh deliveries are sent at once; redelivered ones are
     * leased by the result writer's next commit, which then sends them itself ({@link #leased}), so that their
     * frame is queued before the acknowledgement of any result committed later. Polled tasks count against
     * the credit from the start.
     */
    private void run() {
        MDC.put(LogKeys.ENDPOINT, channel.endpoint().toString()); // this thread serves one endpoint
        try {
            while (channel.isOpen()) {
                if (!consumer.isOpen()) {
                    log.warn(
                            "endpoint {}: the broker closed its task consumer; closing the channel",
                            channel.endpoint());
                    channel.sender.closeSession(1011, "broker connection lost");
                    return;
                }
                int free = credit.await(channel::inFlightCount, 500);
                if (free > 0 && held.isEmpty()) {
                    held.addAll(consumer.poll(Math.min(free, MAX_FRAME_TASKS), Duration.ofMillis(500)));
                }
                List<Delivery> batch = withinCredit();
                if (!batch.isEmpty()) {
                    dispatch(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("dispatcher of endpoint {} failed", channel.endpoint(), e);
            channel.sender.closeSession(1011, "dispatcher failed");
        }
    }

    private void dispatch(List<Delivery> batch) throws InterruptedException {
        List<TaskMessage> fresh = new ArrayList<>(batch.size());
        List<TaskMessage> again = new ArrayList<>();
        for (Delivery d : batch) {
            channel.sending(d.task());
            (d.redelivered() ? again : fresh).add(d.task());
        }
        if (!again.isEmpty()) {
            writer.leaseNow(again, (taken, failed) -> leased(again, taken, failed));
        }
        if (!fresh.isEmpty()) {
            sendUnleased(fresh);
        }
    }

    /**
     * What the credit allows of the tasks polled, counted again after the poll: the endpoint may have lowered
     * its credit while the poll waited (to 0 when it drains or cannot keep its audit log). The rest stay here,
     * unacknowledged, for when credit frees; if the channel closes first, the broker gives them to the next one.
     */
    private List<Delivery> withinCredit() {
        int free = Math.min(held.size(), credit.free(channel.inFlightCount()));
        if (free <= 0) {
            return List.of();
        }
        List<Delivery> out = new ArrayList<>(held.subList(0, free));
        held.subList(0, free).clear();
        return out;
    }

    /**
     * Sends tasks taken from the broker for the first time at once, without reading or writing the database:
     * their lease is written only if they run long. Tasks known to be cancelled are acknowledged and dropped; a
     * cancel that races with the send reaches the endpoint as a notice.
     */
    private void sendUnleased(List<TaskMessage> fresh) {
        List<TaskMessage> out = fresh;
        if (!cancelled.isEmpty()) {
            List<TaskId> dropped = fresh.stream()
                    .map(TaskMessage::task)
                    .filter(cancelled::contains)
                    .toList();
            if (!dropped.isEmpty()) {
                drop(dropped);
                out = fresh.stream().filter(t -> !cancelled.contains(t.task())).toList();
            }
        }
        if (!out.isEmpty()) {
            writer.sendingUnleased(channel, out);
            send(out);
        }
    }

    private void drop(List<TaskId> tasks) {
        consumer.ack(tasks);
        channel.unsent(tasks);
        freed();
        log.debug("endpoint {}: {} tasks were no longer waiting", channel.endpoint(), tasks.size());
    }

    /**
     * Called by the result writer, in its commit, for redelivered tasks: the broker forgets them (the database
     * holds them now) and those leased are sent; those no longer waiting (ended, cancelled, or already leased:
     * the endpoint reconnected holding them) are dropped and free their credit. If the commit failed, the
     * channel closes, and the broker gives the tasks to the next consumer.
     */
    private void leased(List<TaskMessage> tasks, Set<TaskId> taken, Throwable failed) {
        if (failed != null) {
            channel.sender.closeSession(1011, "leases could not be stored");
            return;
        }
        List<TaskId> all = tasks.stream().map(TaskMessage::task).toList();
        List<TaskId> dropped = all.stream().filter(t -> !taken.contains(t)).toList();
        consumer.ack(all);
        if (!dropped.isEmpty()) {
            drop(dropped);
        }
        List<TaskMessage> out = dropped.isEmpty()
                ? tasks
                : tasks.stream().filter(t -> taken.contains(t.task())).toList();
        if (!out.isEmpty() && channel.isOpen()) {
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
                channel.sender.send(new ChannelMessage.Functions(code));
            }
            if (!out.isEmpty()) {
                channel.sender.send(new ChannelMessage.Tasks(out));
            }
        } finally {
            sendLock.unlock();
        }
        if (!unrunnable.isEmpty()) {
            // off the writer's thread, which may be the caller: the writer's queue may be full
            Thread.ofVirtual().name("unrunnable-" + channel.endpoint()).start(() -> {
                try {
                    writer.submit(channel, unrunnable);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private TaskResult unrunnable(TaskMessage t) {
        long now = clock.millis();
        return new TaskResult(
                t.task(),
                t.attempt(),
                "function " + t.function() + " was deleted before the task ran",
                new TaskResult.Failure(
                        FailureCode.FUNCTION_UNAVAILABLE, "function " + t.function() + " no longer exists", null),
                now,
                now);
    }

    @Override
    public void close() {
        consumer.close();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
