package dev.gantry.protocol.api;

import dev.gantry.protocol.TaskId;

/**
 * {@code GET /v3/tasks/{id}/output?from=N}: what the task's latest attempt wrote, kept by the service (the newest
 * part, up to its bound), from byte {@code offset} on: {@code offset} is past {@code from} when the bytes between
 * were dropped. Ask again with {@code from=next} for more; {@code ended} says the task is over, so nothing
 * will follow what has been read.
 */
public record TaskOutput(TaskId taskId, int attempt, long offset, long next, String text, boolean ended) {
    public TaskOutput {
        text = text == null ? "" : text; // the JSON leaves an empty text out
    }
}
