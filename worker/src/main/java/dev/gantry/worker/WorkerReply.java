package dev.gantry.worker;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskResult;
import java.util.List;

/** What a worker process tells its engine: what the running task wrote, then its result. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = WorkerReply.Output.class, name = "output"),
    @JsonSubTypes.Type(value = WorkerReply.Done.class, name = "done")
})
public sealed interface WorkerReply {
    record Output(List<OutputChunk> output) implements WorkerReply {}

    record Done(TaskResult result) implements WorkerReply {}
}
