package dev.gantry.protocol.channel;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.payload.ResultSerializers;
import java.util.List;

/**
 * One task as an endpoint receives it: the function by reference, the packed arguments inline, the resources
 * it asked for (an MPI task's ranks; null for others), and the strategies its Python result may be serialized
 * with, by Globus Compute class name in the submitter's order (null: Globus Compute's default).
 */
public record TaskMessage(
        TaskId task,
        TaskGroupId group,
        int attempt,
        FunctionId function,
        String payload,
        ResourceSpec resources,
        List<String> resultSerializers) {

    public TaskMessage {
        if (resultSerializers != null) {
            Limits.within("result_serializers", resultSerializers.size(), 1, ResultSerializers.MAX);
            resultSerializers.forEach(ResultSerializers::checkName);
            resultSerializers = List.copyOf(resultSerializers);
        }
    }

    public TaskMessage(
            TaskId task, TaskGroupId group, int attempt, FunctionId function, String payload, ResourceSpec resources) {
        this(task, group, attempt, function, payload, resources, null);
    }

    public TaskMessage(TaskId task, TaskGroupId group, int attempt, FunctionId function, String payload) {
        this(task, group, attempt, function, payload, null, null);
    }
}
