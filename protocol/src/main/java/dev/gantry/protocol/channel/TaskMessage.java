package dev.gantry.protocol.channel;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;

/** One task as an endpoint receives it: the function by reference, the packed arguments inline. */
public record TaskMessage(TaskId task, TaskGroupId group, int attempt, FunctionId function, String payload) {}
