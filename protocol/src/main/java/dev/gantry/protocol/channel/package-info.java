/**
 * The endpoint channel: one WebSocket per running endpoint, opened by the endpoint. Each text frame holds
 * one {@link dev.gantry.protocol.channel.ChannelMessage}; tasks, acceptances and results travel in batches.
 * A task is resolved only by its result, and a result is dropped from the endpoint's outbox only after the
 * service acknowledged it ({@link dev.gantry.protocol.channel.ChannelMessage.ResultsAck}), that is, after
 * it was committed to the database.
 */
package dev.gantry.protocol.channel;
