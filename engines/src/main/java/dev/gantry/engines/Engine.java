package dev.gantry.engines;

import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.util.function.Consumer;

/** Runs tasks. {@code onDone} is called exactly once per submitted task, from any thread. */
public interface Engine extends AutoCloseable {

    void start();

    void submit(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone);

    /** How many tasks run at once. */
    int workers();

    StatusReport status();

    @Override
    void close();
}
