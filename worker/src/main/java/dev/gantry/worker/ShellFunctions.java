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

    static Invocable load(ShellCommand template) {
        return (args, ctx) -> {
            String line;
            try {
                line = format(template.cmd(), args.kwargs());
            } catch (IllegalArgumentException e) {
                throw new java.lang.reflect.InvocationTargetException(e);
            }
            ShellCommand cmd = new ShellCommand(line, template.walltimeS(), template.snippetLines());
            return Strategy.JSON.tag(Json.write(run(cmd, ctx)));
        };
    }

    /**
     * Fills {@code {name}} placeholders from the keyword arguments, as Python's {@code str.format(**kwargs)}
     * (Globus Compute's ShellFunction): {@code {{} and {@code }}} stand for braces; an unknown name fails.
     */
    static String format(String cmd, com.fasterxml.jackson.databind.JsonNode kwargs) {
        StringBuilder out = new StringBuilder(cmd.length());
        for (int i = 0; i < cmd.length(); i++) {
            char c = cmd.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < cmd.length() && cmd.charAt(i + 1) == c) {
                out.append(c);
                i++;
            } else if (c == '{') {
                int end = cmd.indexOf('}', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unmatched '{' in the command at " + i);
                }
                String name = cmd.substring(i + 1, end);
                com.fasterxml.jackson.databind.JsonNode v = kwargs.get(name);
                if (v == null) {
                    throw new IllegalArgumentException("KeyError: the command names {" + name + "} but no keyword"
                            + " argument '" + name + "' was given");
                }
                out.append(v.isValueNode() ? v.asText() : v.toString());
                i = end;
            } else if (c == '}') {
                throw new IllegalArgumentException("single '}' in the command at " + i);
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
