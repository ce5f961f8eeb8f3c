package dev.gantry.endpoint;

import dev.gantry.protocol.AuditFile;
import dev.gantry.protocol.AuditSink;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A high-assurance endpoint's append-only record of every task event, one JSON line each, in an owner-only
 * file, or (a high-assurance manager's user endpoint) in its manager's record. A batch of events is one write.
 * The first write that fails breaks the log for good: the endpoint then takes no more tasks, and
 * {@link #broken()} says why (restart it once the file can be written).
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    /** A log that records nothing and never breaks: an endpoint that is not high-assurance. */
    public static final AuditLog OFF = new AuditLog(null);

    /**
     * One task event: when, the task and its attempt (when the event names it), what happened (received,
     * running, waiting_for_nodes, success, failed, acknowledged) and a detail (a failure's code).
     */
    public record Event(long atMs, TaskId task, Integer attempt, String event, String detail) {
        /** The events an endpoint records. */
        public static final Set<String> KINDS =
                Set.of("received", "running", "waiting_for_nodes", "success", "failed", "acknowledged");
    }

    private final AuditSink file;

    private AuditLog(AuditSink file) {
        this.file = file;
    }

    /** The log that {@code sink} keeps. */
    public static AuditLog over(AuditSink sink) {
        return new AuditLog(sink);
    }

    /** The log in {@code file}, created owner-only; one that cannot be opened is broken from the start. */
    public static AuditLog open(Path file) {
        return new AuditLog(AuditFile.open(
                file,
                "this high-assurance endpoint takes no more tasks: make it writable and restart the endpoint",
                log::error));
    }

    /** Appends {@code events}; false, with nothing more ever written, if the log is or becomes broken. */
    boolean record(List<Event> events) {
        return file == null || file.append(events);
    }

    /** Records that {@code tasks} arrived; false if the log is broken (they must not run). */
    boolean received(List<TaskMessage> tasks, long nowMs) {
        return record(tasks.stream()
                .map(t -> new Event(nowMs, t.task(), t.attempt(), "received", null))
                .toList());
    }

    /** Records that {@code task} started on a worker, or waits for nodes ({@code event}). */
    void task(TaskId task, String event, long nowMs) {
        record(List.of(new Event(nowMs, task, null, event, null)));
    }

    /** Records a task's result: success, or failed with its code. */
    void finished(TaskResult r) {
        record(List.of(new Event(
                r.completedAtMs(),
                r.task(),
                r.attempt(),
                r.failed() ? "failed" : "success",
                r.failed() ? r.error().code().name() : null)));
    }

    /** Records that the service acknowledged the results of {@code tasks}: they are stored there. */
    void acknowledged(List<TaskId> tasks, long nowMs) {
        record(tasks.stream()
                .map(t -> new Event(nowMs, t, null, "acknowledged", null))
                .toList());
    }

    /** Why the log cannot be written, if it cannot: the endpoint takes no tasks then. */
    Optional<String> broken() {
        return file == null ? Optional.empty() : file.broken();
    }

    @Override
    public void close() {
        if (file != null) {
            file.close();
        }
    }
}
