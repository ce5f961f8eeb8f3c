package dev.gantry.engines.pilot;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.util.List;

/**
 * Frames between the interchange (in the endpoint) and a manager (one per node of a block), length-prefixed
 * JSON over TCP. A manager registers with the block's token, then gets tasks and sends results in batches;
 * both sides heartbeat, and a manager whose job is ending (SIGTERM from the scheduler) says so first.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PilotMessage.Register.class, name = "register"),
    @JsonSubTypes.Type(value = PilotMessage.Work.class, name = "work"),
    @JsonSubTypes.Type(value = PilotMessage.Results.class, name = "results"),
    @JsonSubTypes.Type(value = PilotMessage.Cancel.class, name = "cancel"),
    @JsonSubTypes.Type(value = PilotMessage.Heartbeat.class, name = "heartbeat"),
    @JsonSubTypes.Type(value = PilotMessage.Ending.class, name = "ending")
})
public sealed interface PilotMessage {

    /** A manager's first frame: the token of its engine, its block, host, pid and how many workers it runs. */
    record Register(String token, String block, String host, long pid, int workers) implements PilotMessage {}

    /** Tasks for a manager; a function's code comes with the first of its tasks that this manager gets. */
    record Work(List<TaskMessage> tasks, List<FunctionDoc> functions) implements PilotMessage {}

    /** Results, the tasks that started since the last frame, and what running tasks wrote (before their results). */
    record Results(List<TaskResult> results, List<TaskId> started, List<OutputChunk> output) implements PilotMessage {
        public Results {
            output = output == null ? List.of() : List.copyOf(output);
        }
    }

    record Cancel(List<TaskId> tasks) implements PilotMessage {}

    record Heartbeat() implements PilotMessage {}

    /** The manager is going away (its job got SIGTERM): the tasks it holds are lost with its block. */
    record Ending(String reason) implements PilotMessage {}
}
