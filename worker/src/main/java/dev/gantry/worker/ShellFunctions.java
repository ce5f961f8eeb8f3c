package dev.gantry.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.ShellCommand;
import dev.gantry.protocol.payload.ShellOutcome;
import dev.gantry.protocol.payload.Strategy;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs shell and MPI functions as Globus Compute's ShellFunction does: {@code bash -c cmd} in the task's
 * sandbox, output appended to the command's files, killed with return code 124 after its walltime. A
 * non-zero exit is a result ({@link ShellOutcome}), not a failure. An MPI command runs under the engine's
 * launcher prefix for the task's resource specification.
 */
final class ShellFunctions {
    static final int TIMEOUT_RC = 124;
    /** A snippet longer than a result may be fails the task anyway: more of a file is never read. */
    static final long TAIL_BYTES = dev.gantry.protocol.Limits.MAX_RESULT_CHARS + 1L;

    private ShellFunctions() {}

    static Invocable load(ShellCommand template) {
        return (args, ctx) -> {
            args.requireJson("Shell");
            String line;
            try {
                line = format(template.cmd(), args.kwargs());
            } catch (IllegalArgumentException e) {
                throw new InvocationTargetException(e);
            }
            return Strategy.JSON.tag(Json.write(run(template.withCmd(line), ctx)));
        };
    }

    /**
     * Fills {@code {name}} placeholders from the keyword arguments, as Python's {@code str.format(**kwargs)}
     * (Globus Compute's ShellFunction): {@code {{} and {@code }}} stand for braces; an unknown name fails.
     */
    static String format(String cmd, JsonNode kwargs) {
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
                JsonNode v = kwargs.get(name);
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
        Path dir = ctx.sandbox();
        Path out = outputFile(dir, cmd.stdout(), "stdout");
        Path err = outputFile(dir, cmd.stderr(), "stderr");
        String line = cmd.cmd();
        ProcessBuilder pb = new ProcessBuilder()
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        pb.environment().putAll(ctx.environment());
        if (cmd.mpi()) {
            if (ctx.resources() == null) {
                throw new IllegalArgumentException("an MPI function needs a resource specification (num_ranks,"
                        + " or num_nodes and ranks_per_node) in its submit");
            }
            pb.environment().putAll(ctx.mpi().environment(ctx.resources()));
            line = "$GANTRY_MPI_PREFIX " + line;
        }
        pb.command(List.of("/bin/bash", "-c", line));
        FileFollower follower = new FileFollower(Stream.of(out, err).distinct().toList(), ctx.output());
        Process p = ctx.track(pb.start());
        follower.start();
        int rc;
        String exception = null;
        try (follower) {
            if (cmd.walltimeS() > 0 && !p.waitFor((long) (cmd.walltimeS() * 1000), TimeUnit.MILLISECONDS)) {
                TaskContext.kill(p);
                p.waitFor();
                rc = TIMEOUT_RC;
                exception = "subprocess.TimeoutExpired";
            } else {
                rc = p.waitFor();
                if (rc != 0) {
                    exception = "subprocess.CalledProcessError";
                }
            }
        } finally {
            if (p.isAlive()) {
                TaskContext.kill(p);
            }
            ctx.finished(p);
        }
        return new ShellOutcome(cmd.cmd(), tail(out, cmd.snippetLines()), tail(err, cmd.snippetLines()), rc, exception);
    }

    /** The file output goes to: the command's own (relative to the sandbox, directories created), or the sandbox's. */
    private static Path outputFile(Path sandbox, String named, String dflt) throws IOException {
        if (named == null) {
            return sandbox.resolve(dflt);
        }
        Path f = sandbox.resolve(named);
        if (f.getParent() != null) {
            Files.createDirectories(f.getParent());
        }
        return f;
    }

    /**
     * The last {@code lines} lines of {@code file}, read from at most its last {@link #TAIL_BYTES} bytes (the
     * first of them perhaps part of a longer line); bytes that are not UTF-8 become U+FFFD.
     */
    static String tail(Path file, int lines) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long start = Math.max(0, ch.size() - TAIL_BYTES);
            ch.position(start);
            var decoder = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            Deque<String> last = new ArrayDeque<>();
            try (BufferedReader reader = new BufferedReader(Channels.newReader(ch, decoder, -1))) {
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
}
