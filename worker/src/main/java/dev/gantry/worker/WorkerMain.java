package dev.gantry.worker;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.api.FunctionDoc;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker process: reads {@link WorkerRequest}s on stdin, writes results on stdout, one task at a time,
 * until stdin closes. What user code prints goes to stderr so that it cannot corrupt the frames.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws IOException {
        Path workDir = Path.of(args.length > 0 ? args[0] : ".");
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        TaskRunner runner = new TaskRunner(workDir);
        Map<FunctionId, FunctionDoc> functions = new HashMap<>();
        for (WorkerRequest r; (r = Frames.read(in, WorkerRequest.class)) != null; ) {
            if (r instanceof WorkerRequest.Run run) {
                if (run.function() != null) {
                    functions.put(run.function().functionUuid(), run.function());
                }
                FunctionDoc fn = functions.get(run.task().function());
                Frames.write(out, runner.run(run.task(), fn));
            }
        }
    }
}
