package dev.gantry.broker;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The embedded default's broker: bounded in-memory queues for one service instance. Queued tasks do not
 * survive a restart ({@link #durable()} is false), so the service re-queues unfinished tasks from the
 * database when it starts.
 */
public final class InProcessBroker implements Broker {
    private final int capacityPerEndpoint;
    private final Map<EndpointId, EndpointQueue> queues = new ConcurrentHashMap<>();
    private final Watchers<List<TaskStatus>> watchers = new Watchers<>();
    private final Watchers<List<OutputChunk>> output = new Watchers<>();

    public InProcessBroker(int capacityPerEndpoint) {
        this.capacityPerEndpoint = capacityPerEndpoint;
    }

    private EndpointQueue queue(EndpointId endpoint) {
        return queues.computeIfAbsent(endpoint, e -> new EndpointQueue(e, capacityPerEndpoint));
    }

    @Override
    public void publishTasks(EndpointId endpoint, List<TaskMessage> tasks) {
        queue(endpoint).offer(tasks, false);
    }

    @Override
    public void publishAgain(EndpointId endpoint, List<TaskMessage> tasks) {
        queue(endpoint).offer(tasks, true);
    }

    @Override
    public long depth(EndpointId endpoint) {
        EndpointQueue q = queues.get(endpoint);
        return q == null ? 0 : q.depth();
    }

    @Override
    public TaskConsumer consume(EndpointId endpoint) {
        return queue(endpoint).openConsumer();
    }

    @Override
    public void publishResults(TaskGroupId group, List<TaskStatus> results) {
        watchers.dispatch(group, results);
    }

    @Override
    public AutoCloseable subscribeResults(TaskGroupId group, Consumer<List<TaskStatus>> listener) {
        watchers.add(group, listener);
        return () -> watchers.remove(group, listener);
    }

    @Override
    public void publishOutput(TaskGroupId group, List<OutputChunk> chunks) {
        output.dispatch(group, chunks);
    }

    @Override
    public AutoCloseable subscribeOutput(TaskGroupId group, Consumer<List<OutputChunk>> listener) {
        output.add(group, listener);
        return () -> output.remove(group, listener);
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public void close() {
        queues.values().forEach(EndpointQueue::closeConsumer);
        watchers.clear();
        output.clear();
    }
}
