package dev.gantry.service.results;

import dev.gantry.broker.Broker;
import dev.gantry.broker.TaskConsumer;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import java.util.List;
import java.util.function.Consumer;

/**
 * The service's broker, with every result it fans out also offered to the Globus Compute result queues (which
 * take those of groups that have one): commits, cancellations and recoveries all pass here.
 */
public final class SdkQueueBroker implements Broker {
    private final Broker broker;
    private final SdkQueues queues;

    public SdkQueueBroker(Broker broker, SdkQueues queues) {
        this.broker = broker;
        this.queues = queues;
    }

    @Override
    public void publishResults(TaskGroupId group, List<TaskStatus> results) {
        broker.publishResults(group, results);
        queues.offer(group, results);
    }

    @Override
    public void publishTasks(EndpointId endpoint, List<TaskMessage> tasks) {
        broker.publishTasks(endpoint, tasks);
    }

    @Override
    public void publishAgain(EndpointId endpoint, List<TaskMessage> tasks) {
        broker.publishAgain(endpoint, tasks);
    }

    @Override
    public long depth(EndpointId endpoint) {
        return broker.depth(endpoint);
    }

    @Override
    public TaskConsumer consume(EndpointId endpoint) {
        return broker.consume(endpoint);
    }

    @Override
    public AutoCloseable subscribeResults(TaskGroupId group, Consumer<List<TaskStatus>> listener) {
        return broker.subscribeResults(group, listener);
    }

    @Override
    public void publishOutput(TaskGroupId group, List<OutputChunk> output) {
        broker.publishOutput(group, output);
    }

    @Override
    public AutoCloseable subscribeOutput(TaskGroupId group, Consumer<List<OutputChunk>> listener) {
        return broker.subscribeOutput(group, listener);
    }

    @Override
    public boolean durable() {
        return broker.durable();
    }

    @Override
    public void onReconnect(Runnable action) {
        broker.onReconnect(action);
    }

    @Override
    public void close() {
        broker.close();
    }
}
