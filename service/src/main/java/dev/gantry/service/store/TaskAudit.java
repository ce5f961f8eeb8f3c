package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.AuditFile;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's side of a high-assurance endpoint's audit trail (the endpoint keeps its own): every task event
 * this instance decides, one JSON line each in an owner-only, append-only file, opened at the first such event.
 * Submitted (by whom, which function), ended (stored: success, or failed with the code), fetched (whose REST
 * read of its outcome), retried and cancelled (by whom). Once it cannot be written, submits to high-assurance
 * endpoints are refused ({@link ApiError#AUDIT_LOG_UNAVAILABLE}): before anything is stored, or, for the batch
 * whose record failed, by cancelling it before it is queued.
 */
public final class TaskAudit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskAudit.class);

    /** One event of one task, as this instance saw it; the identity and function when the event has them. */
    record Event(
            long atMs,
            UUID instance,
            TaskId task,
            TaskGroupId taskGroupId,
            EndpointId endpoint,
            String event,
            UUID identity,
            FunctionId function,
            String detail) {}

    private final Path path;
    private final UUID instance;
    private final Predicate<EndpointId> highAssurance;
    private final Clock clock;
    private AuditFile file; // guarded by this; opened at the first event

    public TaskAudit(Path path, UUID instance, Predicate<EndpointId> highAssurance, Clock clock) {
        this.path = path;
        this.instance = instance;
        this.highAssurance = highAssurance;
        this.clock = clock;
    }

    /** Refuses work for {@code endpoint}, if it is high-assurance, while its events cannot be recorded. */
    public void requireWritable(EndpointId endpoint) {
        if (highAssurance.test(endpoint)) {
            file().broken().ifPresent(why -> {
                throw new GantryException(ApiError.AUDIT_LOG_UNAVAILABLE, why);
            });
        }
    }

    /**
     * {@code who} submitted {@code tasks} to {@code endpoint}; they are stored. False if they are a high-assurance
     * endpoint's and could not be recorded: they must not run.
     */
    public boolean submitted(Identity who, EndpointId endpoint, List<TaskMessage> tasks) {
        if (!highAssurance.test(endpoint)) {
            return true;
        }
        long now = clock.millis();
        return record(tasks.stream()
                .map(t -> new Event(
                        now, instance, t.task(), t.group(), endpoint, "submitted", who.id(), t.function(), null))
                .toList());
    }

    /**
     * Results from {@code endpoint} are stored: {@code ended} ended their tasks (success, or failed with the code),
     * {@code retried} failed an attempt that is tried again (retried, with the code).
     */
    public void stored(EndpointId endpoint, List<TaskResult> ended, List<TaskResult> retried) {
        if ((ended.isEmpty() && retried.isEmpty()) || !highAssurance.test(endpoint)) {
            return;
        }
        long now = clock.millis();
        List<Event> events = new ArrayList<>(ended.size() + retried.size());
        for (TaskResult r : ended) {
            events.add(result(now, endpoint, r, r.failed() ? "failed" : "success"));
        }
        for (TaskResult r : retried) {
            events.add(result(now, endpoint, r, "retried"));
        }
        record(events);
    }

    private Event result(long now, EndpointId endpoint, TaskResult r, String event) {
        String code = r.failed() ? r.error().code().name() : null;
        return new Event(now, instance, r.task(), null, endpoint, event, null, null, code);
    }

    /** {@code who} read the outcomes of {@code statuses} over REST; those of high-assurance tasks are recorded. */
    public void fetched(Identity who, List<TaskStatus> statuses) {
        long now = clock.millis();
        List<Event> events = statuses.stream()
                .filter(s -> !s.pending() && s.details() != null && s.details().endpointId() != null)
                .filter(s -> highAssurance.test(s.details().endpointId()))
                .map(s -> new Event(
                        now,
                        instance,
                        s.taskId(),
                        s.taskGroupId(),
                        s.details().endpointId(),
                        "fetched",
                        who.id(),
                        null,
                        s.status()))
                .toList();
        if (!events.isEmpty()) {
            record(events);
        }
    }

    /** {@code who} cancelled a task of {@code endpoint}. */
    public void cancelled(Identity who, EndpointId endpoint, TaskStatus status) {
        if (highAssurance.test(endpoint)) {
            record(List.of(new Event(
                    clock.millis(),
                    instance,
                    status.taskId(),
                    status.taskGroupId(),
                    endpoint,
                    "cancelled",
                    who.id(),
                    null,
                    null)));
        }
    }

    private boolean record(List<Event> events) {
        return file().append(events);
    }

    private synchronized AuditFile file() {
        if (file == null) {
            file = AuditFile.open(
                    path,
                    "submits to high-assurance endpoints are refused until the service is restarted with it writable",
                    log::error);
        }
        return file;
    }

    @Override
    public synchronized void close() {
        if (file != null) {
            file.close();
        }
    }
}
