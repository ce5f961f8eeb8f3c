package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.service.store.TaskLeases;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out what {@link TaskLeases} decided about lost attempts: tasks queued again are published by the
 * housekeeper at once; tasks that failed for good are announced to their task groups' watchers.
 */
public final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);
    private final Broker broker;
    private final Runnable publishRequeued;

    public Recovery(Broker broker, Runnable publishRequeued) {
        this.broker = broker;
        this.publishRequeued = publishRequeued;
    }

    /** Tasks whose failed attempts went back to their queue. */
    void requeued(java.util.Set<dev.gantry.protocol.TaskId> tasks) {
        apply(
                new TaskLeases.Outcome(List.copyOf(tasks), List.of()),
                "their attempts failed and they have retries left");
    }

    public void apply(TaskLeases.Outcome o, String why) {
        if (!o.requeued().isEmpty()) {
            log.info("{} tasks queued again: {}", o.requeued().size(), why);
            publishRequeued.run();
        }
        if (!o.failed().isEmpty()) {
            log.warn("{} tasks failed with no retries left: {}", o.failed().size(), why);
            Map<TaskGroupId, List<TaskStatus>> byGroup = new LinkedHashMap<>();
            o.failed()
                    .forEach(s -> byGroup.computeIfAbsent(s.taskGroupId(), g -> new ArrayList<>())
                            .add(s));
            byGroup.forEach(broker::publishResults);
        }
    }
}
