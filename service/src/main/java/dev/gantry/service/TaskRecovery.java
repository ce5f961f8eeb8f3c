package dev.gantry.service;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.service.store.QueuedTask;
import dev.gantry.service.store.TaskStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, with a broker that forgets (the in-process one), queues every unfinished task again from the
 * database, oldest first. Tasks that had been handed to an endpoint may run twice; the first result wins.
 */
final class TaskRecovery {
    private static final Logger log = LoggerFactory.getLogger(TaskRecovery.class);
    private static final int PAGE = 2000;

    private TaskRecovery() {}

    static long requeue(TaskStore tasks, Broker broker) {
        long after = 0;
        long count = 0;
        List<QueuedTask> page;
        do {
            page = tasks.unfinished(after, PAGE);
            Map<EndpointId, List<TaskMessage>> byEndpoint = new LinkedHashMap<>();
            for (QueuedTask t : page) {
                byEndpoint.computeIfAbsent(t.endpoint(), e -> new ArrayList<>()).add(t.message());
                after = t.seq();
            }
            for (Map.Entry<EndpointId, List<TaskMessage>> e : byEndpoint.entrySet()) {
                try {
                    broker.publishTasks(e.getKey(), e.getValue());
                    count += e.getValue().size();
                } catch (RuntimeException ex) {
                    log.warn("could not queue {} unfinished tasks of endpoint {} again: {}", e.getValue().size(),
                            e.getKey(), ex.getMessage());
                }
            }
        } while (page.size() == PAGE);
        if (count > 0) {
            log.info("queued {} unfinished tasks again", count);
        }
        return count;
    }
}
