package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.channel.TaskMessage;

/** A stored task that has not ended, with its endpoint: what recovery queues again. */
public record QueuedTask(long seq, EndpointId endpoint, TaskMessage message) {}
