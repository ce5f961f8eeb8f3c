package dev.gantry.engines;

import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.util.List;
import java.util.function.Consumer;

/** Runs tasks. {@code onDone} is called exactly once per submitted task, from any thread. */
public interface Engine extends AutoCloseable {

    void start();

    void submit(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone);

    /**
     * Cancels a task: a queued one never runs, a running one is stopped (its processes killed); either way
     * {@code onDone} gets a {@code TASK_CANCELLED} failure. False if the engine does not have the task.
     */
    boolean cancel(dev.gantry.protocol.TaskId task);

    /**
     * Asks the engine to call {@code onStart} when a task starts on a worker; false if it cannot tell (then a
     * task counts as started when the engine takes it). The pilot engine can: a task may wait there for nodes.
     */
    default boolean reportStarts(Consumer<dev.gantry.protocol.TaskId> onStart) {
        return false;
    }

    /** Asks the engine to call {@code onWait} for each task it must hold until it gets nodes; false if it never does. */
    default boolean reportNodeWaits(Consumer<dev.gantry.protocol.TaskId> onWait) {
        return false;
    }

    /**
     * Asks the engine to hand what running tasks write to {@code onOutput}, before it starts, in chunks a fraction of
     * a second apart and each task's last before its result; {@code onOutput} only queues. False if it cannot.
     */
    default boolean reportOutput(Consumer<List<OutputChunk>> onOutput) {
        return false;
    }

    /** How many tasks run at once. */
    int workers();

    StatusReport status();

    @Override
    void close();
}
