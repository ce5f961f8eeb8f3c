package dev.gantry.broker;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import java.util.List;
import java.util.function.Consumer;

/** Routes tasks to endpoints and results to their watchers, between any number of service instances. */
public interface Broker extends AutoCloseable {

    /**
     * Queues tasks for an endpoint, all or none.
     *
     * @throws BrokerException with {@code ENDPOINT_QUEUE_FULL} when they do not fit
     */
    void publishTasks(EndpointId endpoint, List<TaskMessage> tasks);

    /**
     * Publishes tasks that may have been delivered before (taken back from the database: a lost attempt, a
     * queue lost with its service): their consumers see them as redelivered, so they are leased before they
     * are sent and a copy whose task has ended is dropped.
     */
    void publishAgain(EndpointId endpoint, List<TaskMessage> tasks);

    /** How many tasks wait for the endpoint or are delivered but not yet acknowledged. */
    long depth(EndpointId endpoint);

    /** Opens the endpoint's one consumer; an older consumer of the same endpoint is closed first. */
    TaskConsumer consume(EndpointId endpoint);

    /** Fans committed results out to every subscriber of their task group, on any instance; returns once the
     *  broker has them (or failed to take them: watchers then catch up from the database). */
    void publishResults(TaskGroupId group, List<TaskStatus> results);

    /** Receives the results published for a task group until the returned handle is closed. */
    AutoCloseable subscribeResults(TaskGroupId group, Consumer<List<TaskStatus>> listener);

    /**
     * Fans what running tasks of a group wrote out to the group's output subscribers, on any instance; it does not
     * wait for the broker (output is live news: what is lost is a gap in a task's log, which the database keeps).
     */
    void publishOutput(TaskGroupId group, List<OutputChunk> output);

    /** Receives the output published for a task group until the returned handle is closed. */
    AutoCloseable subscribeOutput(TaskGroupId group, Consumer<List<OutputChunk>> listener);

    /**
     * The topic on which an endpoint's control notices travel (today: tasks cancelled while it holds them), so
     * that the instance holding its channel hears them whichever instance took the request. It rides on the
     * result fan-out, under a task-group id no real group has (a name-based UUID).
     */
    static TaskGroupId controlTopic(EndpointId endpoint) {
        return new TaskGroupId(java.util.UUID.nameUUIDFromBytes(
                ("gantry-control:" + endpoint).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** True when queued tasks survive a service restart (so the service need not re-queue them itself). */
    boolean durable();

    /**
     * Runs {@code action} each time the broker connection came back after a loss; results fanned out
     * meanwhile may have been missed, so watchers catch up from the database.
     */
    default void onReconnect(Runnable action) {}

    @Override
    void close();
}
