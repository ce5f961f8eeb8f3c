package dev.gantry.broker;

import dev.gantry.protocol.channel.TaskMessage;
import java.util.List;

/** The body of one AMQP message: up to {@link RabbitBroker#CHUNK} tasks of one submit. */
record TaskChunk(List<TaskMessage> tasks) {}
