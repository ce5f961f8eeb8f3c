package dev.gantry.endpoint;

import dev.gantry.engines.Engine;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.RecentTasks;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.TaskRunner;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of the tasks an endpoint is sent: refused by its checks, cancelled before they ran, or run on
 * its engine; each result kept in the outbox and queued for the service. A high-assurance endpoint records
 * every step in its audit log and runs nothing it cannot record.
 */
final class TaskIntake {
    private static final Logger log = LoggerFactory.getLogger(TaskIntake.class);

    private final Engine engine;
    private final TaskChecks checks;
    private final AuditLog audit;
    private final ResultOutbox outbox;
    private final Outgoing outgoing;
    private final Runnable wake;
    private final Clock clock;
    private final Set<TaskId> running = ConcurrentHashMap.newKeySet();
    private final Map<FunctionId, FunctionDoc> functions = new ConcurrentHashMap<>();
    private final RecentTasks cancelledEarly = new RecentTasks(10_000); // cancels that overtook their tasks: never run
    private final boolean startsReported;

    /** {@code wake}: tells the channel there is something to send. */
    TaskIntake(
            Engine engine,
            TaskChecks checks,
            AuditLog audit,
            ResultOutbox outbox,
            Outgoing outgoing,
            Runnable wake,
            Clock clock) {
        this.engine = engine;
        this.checks = checks;
        this.audit = audit;
        this.outbox = outbox;
        this.outgoing = outgoing;
        this.wake = wake;
        this.clock = clock;
        // an engine that tells when a task starts on a worker (the pilot's may wait for nodes) reports the
        // start then; the others' tasks count as started when they take them
        this.startsReported = engine.reportStarts(this::started);
        engine.reportNodeWaits(t -> {
            audit.task(t, "waiting_for_nodes", clock.millis());
            outgoing.waitingForNodes().add(t);
        });
    }

    void functions(List<FunctionDoc> docs) {
        docs.forEach(d -> functions.put(d.functionUuid(), d));
    }

    /**
     * Runs {@code tasks}; if the audit log cannot record their arrival, fails them unrun with the reason (the
     * endpoint's credit is 0 from then on, so the service sends no more).
     */
    void tasks(List<TaskMessage> tasks) {
        if (audit.received(tasks, clock.millis())) {
            tasks.forEach(this::run);
        } else {
            String why = audit.broken().orElseThrow();
            tasks.forEach(t ->
                    done(new TaskChecks.Refusal(FailureCode.COULD_NOT_EXECUTE_TASK, why).result(t, clock.millis())));
        }
    }

    void acknowledged(List<TaskId> tasks) {
        audit.acknowledged(tasks, clock.millis());
        outbox.ack(tasks);
    }

    void cancel(List<TaskId> tasks) {
        tasks.forEach(t -> {
            if (engine.cancel(t)) {
                log.info("task {} cancelled", t);
            } else {
                cancelledEarly.add(t); // its task frame may still be on the way
            }
        });
    }

    /** The tasks running here now. */
    Set<TaskId> running() {
        return running;
    }

    /** Why this endpoint must take no tasks, if it must: its audit log cannot be written. */
    Optional<String> refusing() {
        return audit.broken();
    }

    private void run(TaskMessage task) {
        if (outbox.holds(task.task(), task.attempt()) || !running.add(task.task())) {
            return;
        }
        if (cancelledEarly.remove(task.task())) {
            done(TaskRunner.cancelled(task, clock.millis()));
            return;
        }
        FunctionDoc fn = functions.get(task.function());
        Optional<TaskChecks.Refusal> refused = checks.check(task, fn);
        if (refused.isPresent()) {
            done(refused.get().result(task, clock.millis()));
            return;
        }
        if (!startsReported) {
            started(task.task());
        }
        engine.submit(task, fn, this::done);
    }

    private void started(TaskId task) {
        audit.task(task, "running", clock.millis());
        outgoing.accepted().add(task);
    }

    private void done(TaskResult r) {
        audit.finished(r);
        outbox.put(r);
        running.remove(r.task());
        outgoing.results().add(r);
        wake.run();
    }

    void close() {
        audit.close();
    }
}
