package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskId;

/**
 * A lost attempt: the task, the endpoint it was dispatched to, the attempt that was lost, why, and when it had
 * started (if known). It changes the task only while the task is still at that attempt on that endpoint.
 */
public record Lost(TaskId task, EndpointId endpoint, int attempt, FailureCode code, String reason, Long startedAtMs) {}
