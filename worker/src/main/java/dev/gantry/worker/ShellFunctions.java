package dev.gantry.worker;

import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.ShellCommand;
import dev.gantry.protocol.payload.ShellOutcome;
import dev.gantry.protocol.payload.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shell function: {@code bash -c cmd} in the task's directory, stdout and stderr to files, killed
 * with return code 124 after its walltime. A non-zero exit is a result ({@link ShellOutcome}), not a failure.
 */
final class ShellFunctions {
    static final int TIMEOUT_RC = 124;

    private ShellFunctions() {}

    static Invocable load(ShellCommand cmd) {
        return (args, ctx) -> Strategy.JSON.tag(Json.write(run(cmd, ctx)));
    }

    static ShellOutcome run(ShellCommand cmd, TaskContext ctx) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(ctx.workDir().resolve(ctx.task().toString()));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", cmd.cmd())).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().put("GANTRY_TASK_ID", ctx.task().toString());
        pb.environment().put("GANTRY_TASK_SANDBOX_DIR", dir.toString());
        Process p = pb.start();
        int rc;
        String exception = null;
        if (cmd.walltimeS() > 0 && !p.waitFor((long) (cmd.walltimeS() * 1000), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            rc = TIMEOUT_RC;
            exception = "TimeoutExpired";
        } else {
            rc = p.waitFor();
            if (rc != 0) {
                exception = "CalledProcessError";
            }
        }
        return new ShellOutcome(cmd.cmd(), tail(out, cmd.snippetLines()), tail(err, cmd.snippetLines()), rc, exception);
    }

    private static String tail(Path file, int lines) throws IOException {
        Deque<String> last = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(file)) {
            for (String line; (line = reader.readLine()) != null; ) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        }
        return last.isEmpty() ? "" : String.join("\n", last) + "\n";
    }
}
