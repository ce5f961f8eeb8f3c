package dev.gantry.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code gantry} command run in the background (its own session, input from /dev/null, output appended to a
 * log) for {@code --detach}, and the wait for the line of its log that says it is up.
 */
final class Background {
    final Process process;
    private final Path log;
    private final long offset;

    private Background(Process process, Path log, long offset) {
        this.process = process;
        this.log = log;
        this.offset = offset;
    }

    static Background start(Path log, String... gantryArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(gantryArgs));
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        return new Background(p, log, offset);
    }

    /** The first line it logs that starts with {@code prefix}, while it runs, within {@code within}. */
    Optional<String> await(String prefix, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Optional<String> line =
                    added().lines().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line;
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        return Optional.empty();
    }

    /** Prints the last {@code n} lines it logged to stderr, under {@code heading}. */
    void printTail(String heading, int n) throws IOException {
        System.err.println(heading + "; the last lines of " + log + ":");
        List<String> tail = added().lines().toList();
        tail.subList(Math.max(0, tail.size() - n), tail.size()).forEach(l -> System.err.println("  " + l));
    }

    private String added() throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
}
