package dev.gantry.endpoint.manager;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.channel.ChannelMessage.StartUserEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user endpoints this manager started, one process each. A start request for one that still runs is kept
 * for the grace period: if the process then exits cleanly (an idle shutdown racing the request), it is started
 * again for that request.
 */
final class UserEndpoints {
    private static final Logger log = LoggerFactory.getLogger(UserEndpoints.class);
    private final Clock clock;
    private final long graceMs;
    private final Map<EndpointId, Child> children = new ConcurrentHashMap<>();

    private static final class Child {
        final Process process;
        final String account;
        volatile StartUserEndpoint kept;
        volatile long keptUntilMs;

        Child(Process process, String account) {
            this.process = process;
            this.account = account;
        }
    }

    UserEndpoints(Clock clock, long graceMs) {
        this.clock = clock;
        this.graceMs = graceMs;
    }

    /** If the user endpoint runs, keeps {@code request} for the grace period and returns its pid. */
    java.util.OptionalLong keepIfRunning(StartUserEndpoint request) {
        Child c = children.get(request.userEndpoint());
        if (c == null || !c.process.isAlive()) {
            return java.util.OptionalLong.empty();
        }
        c.kept = request;
        c.keptUntilMs = clock.millis() + graceMs;
        return java.util.OptionalLong.of(c.process.pid());
    }

    /** Watches a started user endpoint; {@code again} starts it anew for a request kept when it exits cleanly. */
    void add(EndpointId id, Process p, String account, Consumer<StartUserEndpoint> again) {
        Child c = new Child(p, account);
        children.put(id, c);
        p.onExit().thenRun(() -> {
            children.remove(id, c);
            int rc = p.exitValue();
            log.info("user endpoint {} (account {}, pid {}) exited with {}", id, account, p.pid(), rc);
            StartUserEndpoint kept = c.kept;
            if (startsAgain(rc, kept != null, clock.millis(), c.keptUntilMs)) {
                log.info("user endpoint {} was asked for while it stopped; starting it again", id);
                Thread.ofVirtual().start(() -> again.accept(kept));
            }
        });
    }

    /**
     * Whether a user endpoint that exited with {@code exitCode} is started again: only after a clean exit, for a
     * request kept while it was stopping, within the grace period.
     */
    static boolean startsAgain(int exitCode, boolean requestKept, long nowMs, long keptUntilMs) {
        return exitCode == 0 && requestKept && nowMs <= keptUntilMs;
    }

    int count() {
        return (int) children.values().stream().filter(c -> c.process.isAlive()).count();
    }

    List<Long> pids() {
        return children.values().stream().map(c -> c.process.pid()).toList();
    }

    /** Asks every user endpoint to stop (SIGTERM), and kills those still there after {@code grace}. */
    void stopAll(Duration grace) {
        List<Process> all = children.values().stream().map(c -> c.process).toList();
        all.forEach(Process::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Process p : all) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
