package dev.gantry.service;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.TaskAudit;
import dev.gantry.service.store.TaskStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels tasks. The database decides (the task ends {@code cancelled} unless it had ended); watchers of its
 * task group hear it at once; an endpoint that holds it hears it on its control topic, from whichever instance
 * holds its channel, and stops it (killing its processes). A queued task is never dispatched.
 */
public final class Cancellations {
    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);
    private final TaskStore tasks;
    private final Clock clock;
    private final Broker broker;
    private final TaskAudit audit;

    public Cancellations(TaskStore tasks, Broker broker, TaskAudit audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
        this.tasks = tasks;
        this.broker = broker;
    }

    public TaskStatus cancel(Identity who, TaskId id) {
        TaskStore.Cancelled c = tasks.cancel(who, id, clock.millis())
                .orElseThrow(() -> new GantryException(ApiError.TASK_NOT_FOUND, "task " + id + " not found"));
        if (c.changed()) {
            audit.cancelled(who, c.endpoint(), c.status());
            tell(() -> broker.publishResults(c.status().taskGroupId(), List.of(c.status())));
            // its endpoint may hold it even if it was not leased yet (a lease is written only for a long task)
            tell(() -> broker.publishResults(Broker.controlTopic(c.endpoint()), List.of(c.status())));
            log.info("task {} cancelled", id);
        }
        return c.status();
    }

    /** The cancel is committed: a notice the broker cannot take now is caught up from the database. */
    private static void tell(Runnable notice) {
        try {
            notice.run();
        } catch (RuntimeException e) {
            log.warn("could not announce a cancel through the broker: {}", e.getMessage());
        }
    }
}
