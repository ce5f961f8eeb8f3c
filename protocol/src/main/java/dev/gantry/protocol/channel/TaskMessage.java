package dev.gantry.protocol.channel;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.ResourceSpec;

/**
 * One task as an endpoint receives it: the function by reference, the packed arguments inline, and the
 * resources it asked for (an MPI task's ranks; null for others).
 */
public record TaskMessage(
        TaskId task, TaskGroupId group, int attempt, FunctionId function, String payload, ResourceSpec resources) {

    public TaskMessage(TaskId task, TaskGroupId group, int attempt, FunctionId function, String payload) {
        this(task, group, attempt, function, payload, null);
    }
}
