package dev.gantry.cli;

import dev.gantry.protocol.GantryHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        List<String> cmd = new ArrayList<>(List.of("service", "start"));
        cmd.addAll(args);
        Background b = Background.start(log(), cmd.toArray(String[]::new));
        Optional<String> line = b.await("Gantry service listening on", Duration.ofSeconds(60));
        if (line.isPresent()) {
            System.out.println(line.get() + " (in the background as pid " + b.process.pid() + ", log: " + log() + ")");
            return 0;
        }
        b.process.destroy();
        b.printTail("gantry: the service did not start", 10);
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
}
