package dev.gantry.protocol.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import java.util.List;

/**
 * A frame of the SDK's result stream ({@code /v3/stream}): the client subscribes to task groups and the
 * service pushes the terminal status of their tasks as they are committed. With {@code replay} the service
 * first sends every task of the group that already ended, so a client that reconnects misses nothing. A
 * subscriber that asks for output also gets what the group's tasks write while they run.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = StreamMessage.Subscribe.class, name = "subscribe"),
    @JsonSubTypes.Type(value = StreamMessage.Results.class, name = "results"),
    @JsonSubTypes.Type(value = StreamMessage.Output.class, name = "output"),
    @JsonSubTypes.Type(value = StreamMessage.Error.class, name = "error")
})
public sealed interface StreamMessage {

    /** Watch a group's results; with {@code output}, also what its tasks write while they run. */
    record Subscribe(TaskGroupId taskGroupId, boolean replay, boolean output) implements StreamMessage {
        public Subscribe(TaskGroupId taskGroupId, boolean replay) {
            this(taskGroupId, replay, false);
        }
    }

    record Results(List<TaskStatus> results) implements StreamMessage {}

    /** What running tasks of a watched group wrote, as it arrives (live: not replayed after a reconnect). */
    record Output(List<OutputChunk> output) implements StreamMessage {}

    /** A request of the client's was refused. */
    record Error(ApiError code, String message) implements StreamMessage {}
}
