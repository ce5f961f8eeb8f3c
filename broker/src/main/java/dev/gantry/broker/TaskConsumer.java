package dev.gantry.broker;

import dev.gantry.protocol.TaskId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** The single consumer of an endpoint's task queue. Closing it returns unacknowledged tasks to the queue. */
public interface TaskConsumer extends AutoCloseable {

    /** Up to {@code max} tasks, waiting at most {@code wait} for the first; empty when closed or timed out. */
    List<Delivery> poll(int max, Duration wait) throws InterruptedException;

    /** These tasks are done with: their results are committed. */
    void ack(Collection<TaskId> tasks);

    boolean isOpen();

    @Override
    void close();
}
