package dev.gantry.worker;

import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskResult;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * What a worker process tells its engine about a task: what it wrote, in any number of frames, then its result.
 * Each frame is a kind byte and a {@link Frames} frame: a plain {@code TaskResult} as before, so the common case
 * (a task that writes nothing) costs no wrapper to write or read.
 */
public final class WorkerReply {
    private static final int OUTPUT = 'O';
    private static final int RESULT = 'R';

    private WorkerReply() {}

    public static void writeOutput(DataOutputStream out, List<OutputChunk> chunks) throws IOException {
        out.writeByte(OUTPUT);
        Frames.write(out, chunks);
    }

    public static void writeResult(DataOutputStream out, TaskResult result) throws IOException {
        out.writeByte(RESULT);
        Frames.write(out, result);
    }

    /** Reads frames up to the task's result, handing output to {@code output}; null at the end of the stream. */
    public static TaskResult readResult(DataInputStream in, Consumer<List<OutputChunk>> output) throws IOException {
        for (int kind; (kind = in.read()) != -1; ) {
            switch (kind) {
                case OUTPUT -> {
                    OutputChunk[] chunks = Frames.read(in, OutputChunk[].class);
                    if (chunks == null) {
                        return null;
                    }
                    output.accept(Arrays.asList(chunks));
                }
                case RESULT -> {
                    return Frames.read(in, TaskResult.class);
                }
                default -> throw new IOException("unknown worker frame kind " + kind);
            }
        }
        return null;
    }
}
