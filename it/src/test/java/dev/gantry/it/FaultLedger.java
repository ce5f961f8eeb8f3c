package dev.gantry.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fault-injection suite's figures: one row per fault and backend, counted by the test that injected it,
 * merged into a Markdown report ({@code it/target/reliability.md}, or the file named by the system property
 * {@code gantry.reliability.report}: {@code .ci/reliability-report} points it at {@code docs/RELIABILITY.md}).
 */
final class FaultLedger {
    static final String HEADER = """
            # Reliability

            Gantry's promise: a task accepted by the service (a 2xx answer to its submit) ends exactly once, as
            `success`, `failed` (with a reason), `cancelled` or `expired`, and never silently disappears. Its
            result is recorded once (the first result wins), and a future in the SDK completes once. A task may
            *run* more than once when the system cannot know whether an attempt finished (an endpoint killed or
            cut off mid-task); every such attempt is in the task's history (`GET /v2/tasks/{id}` →
            `details.attempts`), and a task stops after `max_retries_on_system_failure` retries (default 2).

            How: the broker holds a task until its result is committed or, if it runs longer than half a second,
            until the database holds it as a lease of its endpoint; if the service's connection to the endpoint
            closes first, the broker gives the task to the next one. The lease ends when the endpoint reconnects without the task (it restarted) or stops
            heartbeating for three periods; the task then goes back to its endpoint's queue, one attempt later.
            Results wait in the endpoint's on-disk outbox until the service has committed them. Submits carry an
            idempotency key, so a retry after a lost reply creates nothing new.

            The table below is written by the fault-injection suite in `it/` (`FaultLedger`) from its last
            run (`.ci/reliability-report`); each row is a test with real processes (service, endpoint, worker
            JVMs, PostgreSQL, RabbitMQ) and a fault injected for real. *Lost*: submitted tasks that did not
            end. *Duplicate results*: tasks whose future got a result that was not its own or completed twice.
            *Re-run*: tasks that ran more than once (allowed; reported for transparency).

            | Fault | Backend | Submitted | Ended | Lost | Duplicate results | Re-run | Figure | Last run |
            |---|---|---|---|---|---|---|---|---|
            """;

    private FaultLedger() {}

    static Path report() {
        return Path.of(System.getProperty("gantry.reliability.report", "target/reliability.md"));
    }

    /** Adds or replaces the row of {@code fault} on this run's backend. */
    static synchronized void record(
            String fault, long submitted, long ended, long lost, long duplicates, long reRun, String figure) {
        String backend = dev.gantry.service.TestBackend.production() ? "PostgreSQL + RabbitMQ" : "embedded";
        String row = "| " + fault + " | " + backend + " | " + submitted + " | " + ended + " | " + lost + " | "
                + duplicates + " | " + reRun + " | " + figure + " | "
                + Instant.now().toString().substring(0, 10) + " |";
        Path file = report();
        Map<String, String> rows = new TreeMap<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("| R")) {
                        rows.put(key(line), line);
                    }
                }
            }
            rows.put(key(row), row);
            StringBuilder out = new StringBuilder(HEADER);
            rows.values().forEach(r -> out.append(r).append('\n'));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows sort by fault number, then backend. */
    private static String key(String row) {
        String[] cells = row.split("\\|");
        String id = cells[1].trim().split(" ")[0];
        return String.format("R%03d %s", Integer.parseInt(id.substring(1).replaceAll("\\D.*", "")), cells[2].trim());
    }
}
