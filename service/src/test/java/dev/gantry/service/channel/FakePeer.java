package dev.gantry.service.channel;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection as the result writer sees it, recording what it is told. */
final class FakePeer implements Peer {
    final EndpointId endpoint = EndpointId.random();
    final List<TaskId> acknowledged = new CopyOnWriteArrayList<>();
    final List<TaskMessage> leased = new CopyOnWriteArrayList<>();
    final List<String> reconnects = new CopyOnWriteArrayList<>();
    final Map<TaskId, TaskGroupId> groups = new ConcurrentHashMap<>();
    volatile boolean open = true;

    @Override
    public EndpointId endpoint() {
        return endpoint;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public TaskGroupId groupOf(TaskId task) {
        return groups.get(task);
    }

    @Override
    public void acknowledged(List<TaskResult> results) {
        results.forEach(r -> acknowledged.add(r.task()));
    }

    @Override
    public void leaseWritten(List<TaskMessage> tasks, Throwable failed) {
        if (failed == null) {
            leased.addAll(tasks);
        }
    }

    @Override
    public void reconnect(String why) {
        reconnects.add(why);
    }
}
