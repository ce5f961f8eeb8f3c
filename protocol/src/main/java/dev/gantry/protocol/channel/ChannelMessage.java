package dev.gantry.protocol.channel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import java.util.List;
import java.util.UUID;

/** A frame of the endpoint channel; the JSON field {@code type} names the variant. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChannelMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = ChannelMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = ChannelMessage.Functions.class, name = "functions"),
    @JsonSubTypes.Type(value = ChannelMessage.Tasks.class, name = "tasks"),
    @JsonSubTypes.Type(value = ChannelMessage.Accepted.class, name = "accepted"),
    @JsonSubTypes.Type(value = ChannelMessage.WaitingForNodes.class, name = "waiting-for-nodes"),
    @JsonSubTypes.Type(value = ChannelMessage.Status.class, name = "status"),
    @JsonSubTypes.Type(value = ChannelMessage.Results.class, name = "results"),
    @JsonSubTypes.Type(value = ChannelMessage.Output.class, name = "output"),
    @JsonSubTypes.Type(value = ChannelMessage.ResultsAck.class, name = "results-ack"),
    @JsonSubTypes.Type(value = ChannelMessage.Cancel.class, name = "cancel"),
    @JsonSubTypes.Type(value = ChannelMessage.Stop.class, name = "stop"),
    @JsonSubTypes.Type(value = ChannelMessage.StartUserEndpoint.class, name = "start-user-endpoint"),
    @JsonSubTypes.Type(value = ChannelMessage.StartAnswer.class, name = "start-answer")
})
public sealed interface ChannelMessage {

    /** A frame's list of task ids, bounded and without nulls. */
    private static List<TaskId> checkedIds(String what, List<TaskId> ids) {
        Limits.atMost(what, ids, Limits.MAX_FRAME_TASKS);
        return ids == null ? List.of() : List.copyOf(ids);
    }

    /** Endpoint → service, first frame: who connects, what it still runs, how many tasks it can take. */
    record Hello(
            EndpointId endpoint,
            UUID instance,
            String version,
            List<TaskId> inFlight,
            int credit,
            int heartbeatPeriodMs,
            int maxRetries)
            implements ChannelMessage {
        public static final int DEFAULT_MAX_RETRIES = 2;

        public Hello {
            Limits.atMost("in_flight", inFlight, Limits.MAX_FRAME_TASKS);
            inFlight = inFlight == null ? List.of() : List.copyOf(inFlight);
            Limits.within("max_retries", maxRetries, 0, 100);
            Limits.within("credit", credit, 0, Limits.MAX_CREDIT);
            Limits.within(
                    "heartbeat_period_ms",
                    heartbeatPeriodMs,
                    Limits.MIN_HEARTBEAT_PERIOD_MS,
                    Limits.MAX_HEARTBEAT_PERIOD_MS);
            version = Limits.cut(version, Limits.MAX_NAME_CHARS);
        }
    }

    /** Service → endpoint: the parameters the endpoint must honour. */
    record Welcome(int heartbeatPeriodMs) implements ChannelMessage {}

    /** Service → endpoint: code of functions whose tasks follow, sent once per connection and function. */
    record Functions(List<FunctionDoc> functions) implements ChannelMessage {}

    /** Service → endpoint: never more tasks than the endpoint's free credit. */
    record Tasks(List<TaskMessage> tasks) implements ChannelMessage {}

    /** Endpoint → service: the engine took these tasks. */
    record Accepted(List<TaskId> tasks, long atMs) implements ChannelMessage {
        public Accepted {
            tasks = checkedIds("tasks", tasks);
            Limits.within("at_ms", atMs, 0, Long.MAX_VALUE);
        }
    }

    /** Endpoint → service: tasks its engine holds until a block has room (the pilot engine), since {@code atMs}. */
    record WaitingForNodes(List<TaskId> tasks, long atMs) implements ChannelMessage {
        public WaitingForNodes {
            tasks = checkedIds("tasks", tasks);
            Limits.within("at_ms", atMs, 0, Long.MAX_VALUE);
        }
    }

    /** Endpoint → service, every heartbeat period: the engine's state and the endpoint's free credit. */
    record Status(StatusReport report, int credit) implements ChannelMessage {
        public Status {
            Limits.within("credit", credit, 0, Limits.MAX_CREDIT);
        }
    }

    /** Endpoint → service: finished tasks; kept in the endpoint's outbox until acknowledged. */
    record Results(List<TaskResult> results) implements ChannelMessage {
        public Results {
            Limits.atMost("results", results, Limits.MAX_FRAME_TASKS);
            results = results == null ? List.of() : List.copyOf(results);
        }
    }

    /**
     * Endpoint → service: what running tasks wrote since the last frame. Not kept in the outbox: output is live
     * news, and what a lost frame held is a gap in the task's log, never a lost result.
     */
    record Output(List<OutputChunk> output) implements ChannelMessage {
        public Output {
            Limits.atMost("output", output, Limits.MAX_FRAME_CHUNKS);
            output = output == null ? List.of() : List.copyOf(output);
        }
    }

    /** Service → endpoint: these results are committed. */
    record ResultsAck(List<TaskId> tasks) implements ChannelMessage {}

    /** Service → endpoint: stop these tasks if they are still there. */
    record Cancel(List<TaskId> tasks) implements ChannelMessage {}

    /** Service → endpoint: close the channel and do not reconnect (endpoint deleted or locked). */
    record Stop(String reason) implements ChannelMessage {}

    /**
     * Service → endpoint manager: a submitter needs the user endpoint {@code userEndpoint}. The manager maps
     * {@code identities} to a local account and starts it there, unless it runs already. {@code token} opens that
     * user endpoint's channel ({@code channelPath}) and nothing else; it is never logged.
     */
    record StartUserEndpoint(
            EndpointId userEndpoint,
            UUID requestId,
            long issuedAtMs,
            List<java.util.Map<String, String>> identities,
            com.fasterxml.jackson.databind.JsonNode userConfig,
            com.fasterxml.jackson.databind.JsonNode userRuntime,
            String token,
            String channelPath)
            implements ChannelMessage {
        @Override
        public String toString() {
            return "StartUserEndpoint[userEndpoint=" + userEndpoint + ", requestId=" + requestId + ", issuedAtMs="
                    + issuedAtMs + ", identities=" + identities + ", token=<redacted>]";
        }
    }

    /**
     * Endpoint manager → service: the user endpoint runs ({@code error} null; {@code started}: a new process,
     * which holds this request's token, else one that was running already), or why it could not start.
     */
    record StartAnswer(UUID requestId, EndpointId userEndpoint, String error, boolean started)
            implements ChannelMessage {}
}
