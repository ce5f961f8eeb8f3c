package dev.gantry.worker;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker process: reads {@link WorkerRequest}s on stdin, writes {@link WorkerReply}s on stdout (what the task
 * writes, then its result), one task at a time, until stdin closes. What user code prints outside a task goes
 * to stderr so that it cannot corrupt the frames.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws IOException {
        Path workDir = Path.of(args.length > 0 ? args[0] : ".");
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        ReentrantLock writing = new ReentrantLock();
        OutputPump output = new OutputPump(chunks -> locked(writing, () -> WorkerReply.writeOutput(out, chunks)));
        TaskRunner runner =
                new TaskRunner(workDir, TaskRunner.timeoutFromEnvironment(), MpiLauncher.localMpiexec(), output);
        Map<FunctionId, FunctionDoc> functions = new HashMap<>();
        for (WorkerRequest r; (r = Frames.read(in, WorkerRequest.class)) != null; ) {
            if (r instanceof WorkerRequest.Run run) {
                if (run.function() != null) {
                    functions.put(run.function().functionUuid(), run.function());
                }
                FunctionDoc fn = functions.get(run.task().function());
                TaskResult result = runner.run(run.task(), fn);
                locked(writing, () -> WorkerReply.writeResult(out, result));
            }
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    /** Output and results are written by two threads: one frame at a time. */
    private static void locked(ReentrantLock writing, Write write) {
        writing.lock();
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException("the engine went away", e);
        } finally {
            writing.unlock();
        }
    }
}
