package dev.gantry.endpoint.manager;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.gantry.endpoint.AuditLog;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.AuditFile;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A high-assurance manager's audit log: its own events (started, stopped, each user endpoint started and exited)
 * and every task event its user endpoints send it ({@link ManagerAuditPipe}), one JSON line each. The manager
 * stamps each line with the user endpoint it came from, that one's account, uid and pid, and its own time:
 * whatever a user endpoint sends is recorded as that user endpoint's. The file is the manager's (root's, for a
 * multi-user manager) and owner-only, so the accounts it serves can neither read it nor change what it holds. Once
 * it cannot be written, the manager starts no user endpoint and those running take no more tasks.
 */
final class ManagerAudit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagerAudit.class);
    static final String PREFIX = "GANTRY-USER-ENDPOINT AUDIT ";
    static final String OK = "ok";
    static final String BROKEN = "broken ";
    /** The most events a user endpoint sends in one line, and the longest line the manager reads. */
    static final int EVENTS_PER_LINE = 500;

    static final int MAX_LINE_CHARS = EVENTS_PER_LINE * 1024;
    private static final int MAX_DETAIL = 200;
    private static final TypeReference<List<AuditLog.Event>> EVENTS = new TypeReference<>() {};

    /** A manager that is not high-assurance: it records nothing. */
    static final ManagerAudit OFF = new ManagerAudit(null, null, Clock.systemUTC());

    /** One line: when it happened and when the manager wrote it, what, and who (the user endpoint, as the manager knows it). */
    record Entry(
            long atMs,
            long loggedAtMs,
            String event,
            EndpointId manager,
            EndpointId userEndpoint,
            String account,
            Integer uid,
            Long pid,
            TaskId task,
            Integer attempt,
            String detail) {}

    private final AuditFile file;
    private final EndpointId manager;
    private final Clock clock;

    private ManagerAudit(AuditFile file, EndpointId manager, Clock clock) {
        this.file = file;
        this.manager = manager;
        this.clock = clock;
    }

    /** The manager's log in {@code path}, created owner-only; its first line says the manager started. */
    static ManagerAudit open(Path path, EndpointId manager, Clock clock) {
        ManagerAudit a = new ManagerAudit(
                AuditFile.open(
                        path,
                        "this high-assurance endpoint manager starts no user endpoint and those running take no more"
                                + " tasks: make it writable and restart the manager",
                        log::error),
                manager,
                clock);
        a.manager("manager_started", ProcessHandle.current().pid());
        return a;
    }

    boolean on() {
        return file != null;
    }

    /** Records an event of the manager itself. */
    void manager(String event, long pid) {
        long now = clock.millis();
        append(new Entry(now, now, event, manager, null, null, null, pid, null, null, null));
    }

    /** Records that the user endpoint {@code id} of {@code user} (process {@code pid}) started or exited. */
    void userEndpoint(EndpointId id, LocalUser user, long pid, String event, String detail) {
        long now = clock.millis();
        append(new Entry(now, now, event, manager, id, user.uname(), user.uid(), pid, null, null, detail));
    }

    /**
     * Records the events in a line from user endpoint {@code id} and says what to answer it: {@value #OK}, or
     * {@value #BROKEN} and why (this log cannot be written, or the line is not a record of task events).
     */
    String fromUserEndpoint(EndpointId id, LocalUser user, long pid, String line) {
        List<AuditLog.Event> events;
        try {
            events = Json.mapper().readValue(line, EVENTS);
        } catch (IOException e) {
            events = null;
        }
        if (events == null
                || events.size() > EVENTS_PER_LINE
                || events.stream()
                        .anyMatch(e -> e == null || e.task() == null || !AuditLog.Event.KINDS.contains(e.event()))) {
            userEndpoint(id, user, pid, "refused_record", null);
            log.warn("user endpoint {} (account {}) sent a malformed audit record", id, user.uname());
            return BROKEN + "the endpoint manager refused a malformed audit record";
        }
        long now = clock.millis();
        List<Entry> entries = events.stream()
                .map(e -> new Entry(
                        e.atMs(),
                        now,
                        e.event(),
                        manager,
                        id,
                        user.uname(),
                        user.uid(),
                        pid,
                        e.task(),
                        e.attempt(),
                        e.detail() == null || e.detail().length() <= MAX_DETAIL
                                ? e.detail()
                                : e.detail().substring(0, MAX_DETAIL)))
                .toList();
        return file.append(entries) ? OK : BROKEN + file.broken().orElse("the audit log cannot be written");
    }

    private void append(Entry e) {
        if (file != null) {
            file.append(List.of(e));
        }
    }

    /** Why this log cannot be written, if it cannot. */
    Optional<String> broken() {
        return file == null ? Optional.empty() : file.broken();
    }

    @Override
    public void close() {
        if (file != null) {
            manager("manager_stopped", ProcessHandle.current().pid());
            file.close();
        }
    }
}
