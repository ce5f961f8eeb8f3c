package dev.gantry.protocol.api;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reply of submit: the task ids of each function, in the order of the request's payloads. */
public record SubmitResponse(
        UUID requestId, TaskGroupId taskGroupId, EndpointId endpointId, Map<String, List<TaskId>> tasks) {}
