package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskResult;

/**
 * What an endpoint's channel said about a task: its result, or that it started or waits for nodes since
 * {@code atMs}. The store writes it only for a task dispatched to {@code from}.
 */
public sealed interface Report {
    EndpointId from();

    TaskId task();

    /** An attempt's outcome. */
    record Result(EndpointId from, TaskResult result) implements Report {
        @Override
        public TaskId task() {
            return result.task();
        }
    }

    /** The endpoint's engine started the task ({@code running}). */
    record Started(EndpointId from, TaskId task, long atMs) implements Report {}

    /** The endpoint holds the task until a pilot block has room ({@code waiting-for-nodes}). */
    record WaitingForNodes(EndpointId from, TaskId task, long atMs) implements Report {}
}
