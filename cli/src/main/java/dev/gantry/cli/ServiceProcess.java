package dev.gantry.cli;

import dev.gantry.protocol.GantryHome;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The service of a Gantry home as a process: its pid file ({@code service/service.pid}, written while it runs),
 * its log when detached ({@code service/service.log}), a start in the background and a stop.
 */
final class ServiceProcess {
    private final GantryHome home;

    ServiceProcess(GantryHome home) {
        this.home = home;
    }

    Path pidFile() {
        return home.serviceDir().resolve("service.pid");
    }

    Path log() {
        return home.serviceDir().resolve("service.log");
    }

    /** The running service of this home, if its pid file names a live process. */
    Optional<ProcessHandle> running() {
        try {
            if (!Files.isRegularFile(pidFile())) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile()).trim()))
                    .filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void writePid() {
        GantryHome.privateDir(home.serviceDir());
        GantryHome.writePrivate(pidFile(), Long.toString(ProcessHandle.current().pid()));
    }

    void removePid() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            // the next start overwrites it; a stale pid names no live process
        }
    }

    /**
     * Runs {@code gantry service start args} in its own session with its output in the log, and waits for the
     * line saying where it listens: 0 and that line, or the log's last lines and 1 (the process is stopped).
     */
    int startDetached(List<String> args) throws IOException, InterruptedException {
        GantryHome.privateDir(home.serviceDir());
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "service",
                "start"));
        cmd.addAll(args);
        long offset = Files.exists(log()) ? Files.size(log()) : 0;
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Optional<String> line = added(offset)
                    .lines()
                    .filter(l -> l.startsWith("Gantry service listening on"))
                    .findFirst();
            if (line.isPresent()) {
                System.out.println(line.get() + " (in the background as pid " + p.pid() + ", log: " + log() + ")");
                return 0;
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        p.destroy();
        List<String> tail = added(offset).lines().toList();
        System.err.println("gantry: the service did not start; the last lines of " + log() + ":");
        tail.subList(Math.max(0, tail.size() - 10), tail.size()).forEach(l -> System.err.println("  " + l));
        return 1;
    }

    /** Stops the running service (it finishes what it commits), killing it after 30 s; false if none ran. */
    boolean stop() {
        Optional<ProcessHandle> running = running();
        if (running.isEmpty()) {
            return false;
        }
        ProcessHandle h = running.get();
        h.destroy();
        try {
            h.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
        }
        removePid();
        return true;
    }

    private String added(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log());
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }
}
