package dev.gantry.protocol.channel;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;

/**
 * A piece of what one attempt of a task wrote (its standard output and error, as one stream): the bytes
 * {@code [offset, offset + length)} of that attempt's output, as text. A chunk that starts past the end of the
 * one before it says that the bytes between were dropped: output is kept bounded, and the oldest goes first.
 */
public record OutputChunk(TaskId task, int attempt, long offset, long length, String text) {

    public OutputChunk {
        Limits.required("task", task);
        Limits.within("attempt", attempt, 1, Integer.MAX_VALUE);
        Limits.within("offset", offset, 0, Long.MAX_VALUE / 2);
        Limits.within("length", length, 0, Limits.MAX_OUTPUT_CHUNK_BYTES);
        Limits.required("text", text);
        if (text.length() > Limits.MAX_OUTPUT_CHUNK_BYTES) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "an output chunk holds at most " + Limits.MAX_OUTPUT_CHUNK_BYTES + " characters");
        }
    }

    /** The offset just past this chunk. */
    public long end() {
        return offset + length;
    }
}
