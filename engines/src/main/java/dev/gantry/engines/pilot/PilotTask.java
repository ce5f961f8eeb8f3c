package dev.gantry.engines.pilot;

import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.util.function.Consumer;

/** A task in the pilot engine: queued at the interchange ({@code waiting-for-nodes}) or out on a manager. */
record PilotTask(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {}
