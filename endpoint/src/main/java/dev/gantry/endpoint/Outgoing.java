package dev.gantry.endpoint;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskResult;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** What a channel's sender takes from, besides its control frames: it batches each queue into frames. */
public record Outgoing(
        Queue<TaskId> accepted, Queue<TaskId> waitingForNodes, Queue<TaskResult> results, OutputQueue output) {

    /** Empty queues (an endpoint manager's channel sends nothing but control frames). */
    public static Outgoing empty() {
        return new Outgoing(
                new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>(),
                new OutputQueue());
    }
}
