package dev.gantry.broker;

import dev.gantry.protocol.channel.TaskMessage;

/**
 * A task as a consumer receives it. {@code redelivered} means it was delivered before and not acknowledged
 * (its consumer went away): it may have finished meanwhile, so the receiver checks before sending it on.
 */
public record Delivery(TaskMessage task, boolean redelivered) {}
