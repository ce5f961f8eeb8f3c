package dev.gantry.service.channel;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.util.List;

/** An endpoint's connection as the result writer sees it: what it reports, and what it is told back. */
interface Peer {
    EndpointId endpoint();

    boolean isOpen();

    /** The task group of a task this connection sent, or null if it does not know it. */
    TaskGroupId groupOf(TaskId task);

    /** These results are committed: the endpoint may drop them. Never waits on the endpoint. */
    void acknowledged(List<TaskResult> results);

    /** Tasks sent before their lease was written are leased now (or {@code failed} says why not). */
    void leaseWritten(List<TaskMessage> tasks, Throwable failed);

    /** What this connection sent could not be stored: the endpoint reconnects and sends it again. */
    void reconnect(String why);
}
