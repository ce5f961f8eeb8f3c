package dev.gantry.endpoint;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's {@code endpoint_setup} and {@code endpoint_teardown} (Globus Compute's keys): shell commands run
 * with {@code /bin/sh -c} in the endpoint's directory, as the endpoint's account, with its environment. Setup
 * runs before the endpoint starts, and a non-zero exit stops the start (exit code 78); teardown runs once when
 * it stops. Their output goes to the endpoint's log.
 */
public final class EndpointHooks {
    private static final Logger log = LoggerFactory.getLogger(EndpointHooks.class);
    /** The exit code of an endpoint whose setup failed (sysexits' EX_CONFIG, as Globus Compute's). */
    public static final int EX_CONFIG = 78;

    private static final int TAIL_LINES = 10;
    private static final int MAX_LINE = 200;

    private final EndpointConfig cfg;
    private final Path dir;
    private final AtomicBoolean tornDown = new AtomicBoolean();

    public EndpointHooks(EndpointConfig cfg, Path dir) {
        this.cfg = cfg;
        this.dir = dir;
    }

    /** {@code endpoint_setup} failed: the message has its exit code and the last lines it printed. */
    public static final class SetupFailed extends GantryException {
        SetupFailed(String message) {
            super(ApiError.SEMANTICALLY_INVALID, message);
        }
    }

    /** Runs {@code endpoint_setup}, if there is one; a non-zero exit is a {@link SetupFailed}. */
    public void setup() {
        if (cfg.endpointSetup() == null) {
            return;
        }
        Outcome o = run("endpoint_setup", cfg.endpointSetup());
        if (o.exitCode() != 0) {
            throw new SetupFailed("endpoint_setup exited with code " + o.exitCode()
                    + (o.tail().isEmpty() ? "" : "; its last output: " + o.tail()));
        }
    }

    /** Runs {@code endpoint_teardown} once, if there is one; a failure is logged only. */
    public void teardown() {
        if (cfg.endpointTeardown() == null || !tornDown.compareAndSet(false, true)) {
            return;
        }
        Outcome o = run("endpoint_teardown", cfg.endpointTeardown());
        if (o.exitCode() != 0) {
            log.warn("endpoint_teardown exited with code {}", o.exitCode());
        }
    }

    private record Outcome(int exitCode, String tail) {}

    private Outcome run(String key, String script) {
        log.info("running {}", key);
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", script)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Deque<String> tail = new ArrayDeque<>();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    log.info("[{}] {}", key, line);
                    tail.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
            return new Outcome(p.waitFor(), String.join(" | ", tail));
        } catch (IOException e) {
            return new Outcome(127, "cannot run /bin/sh: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(130, "interrupted");
        }
    }
}
