package dev.gantry.worker;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;

/** What an engine tells a worker process: the function (sent once per worker and function), then a task. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = WorkerRequest.Run.class, name = "run")})
public sealed interface WorkerRequest {
    /** Run {@code task}; {@code function} is null when this worker already has it. */
    record Run(TaskMessage task, FunctionDoc function) implements WorkerRequest {}
}
