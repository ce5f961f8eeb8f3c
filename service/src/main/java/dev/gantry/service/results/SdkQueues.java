package dev.gantry.service.results;

import dev.gantry.broker.results.ResultQueues;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.service.store.ResultQueueGroups;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the ended tasks of groups that have a result queue, on a thread of its own: a commit hands its
 * results over to a bounded queue and goes on; a full queue drops the batch with a warning (the results stay
 * readable over REST, which is where {@code reload_tasks} looks). Which groups have a queue is read once per
 * batch for the groups not known yet; a group known to have none is asked again after a second, as another
 * instance's submit may have given it one.
 */
public final class SdkQueues implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SdkQueues.class);
    private static final int BACKLOG = 10_000;
    private static final int KNOWN = 100_000;
    private static final long UNQUEUED_FOR_MS = 1_000;
    private static final long REDECLARE_MS = 60_000;
    private static final UUID NONE = new UUID(0, 0);

    private record Batch(TaskGroupId group, List<TaskStatus> ended) {}

    /** Opens the queues (starts the embedded broker, connects to RabbitMQ). */
    public interface Opener {
        ResultQueues open() throws Exception;
    }

    private final Opener opener;
    private final java.util.concurrent.locks.ReentrantLock opening = new java.util.concurrent.locks.ReentrantLock();
    private volatile ResultQueues queues;
    private final ResultQueueGroups groups;
    private final Clock clock;
    private final BlockingQueue<Batch> backlog = new ArrayBlockingQueue<>(BACKLOG);
    private final Map<TaskGroupId, UUID> owners = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TaskGroupId, UUID> e) {
            return size() > KNOWN;
        }
    });
    private final Map<TaskGroupId, Long> unqueuedAt = new java.util.concurrent.ConcurrentHashMap<>();
    /** When this instance last declared a group's queue: declared again after a minute, in case it expired. */
    private final Map<TaskGroupId, Long> declaredAt = new java.util.concurrent.ConcurrentHashMap<>();

    private final Thread publisher;
    private volatile boolean open = true;

    /** Queues opened by {@code opener} when first needed: a service none of whose users has an Executor needs none. */
    public SdkQueues(Opener opener, ResultQueueGroups groups, Clock clock) {
        this.opener = opener;
        this.groups = groups;
        this.clock = clock;
        this.publisher = Thread.ofVirtual().name("sdk-result-queues").unstarted(this::publishLoop);
    }

    /**
     * Starts the publisher; queues of earlier groups are declared again at once when {@code declareAgain} (a broker
     * that keeps them in memory lost them with the last service).
     */
    public SdkQueues start(boolean declareAgain) {
        publisher.start();
        if (declareAgain) {
            declareKnown(10_000); // with no such group, the broker is not started
        }
        return this;
    }

    private ResultQueues queues() {
        ResultQueues q = queues;
        if (q != null) {
            return q;
        }
        opening.lock();
        try {
            if (queues == null) {
                if (!open) {
                    throw new IllegalStateException("the service is stopping");
                }
                try {
                    queues = opener.open();
                } catch (Exception | LinkageError e) {
                    throw new IllegalStateException("the result queues' broker is not available: " + e.getMessage(), e);
                }
            }
            return queues;
        } finally {
            opening.unlock();
        }
    }

    /** What {@code GET /v2/get_amqp_result_connection_url} answers to {@code identity}. */
    public ResultQueues.Endpoint connectionFor(UUID identity) {
        return queues().connectionFor(identity);
    }

    /** Declares {@code group}'s queue before its submit is answered, and records that it has one. */
    public void declare(UUID owner, TaskGroupId group) throws IOException {
        long now = clock.millis();
        Long at = declaredAt.get(group);
        if (at != null && now - at < REDECLARE_MS && owner.equals(owners.get(group))) {
            return; // declared here a moment ago: the Executor asks again with every batch
        }
        queues().declare(owner, group);
        groups.mark(group);
        owners.put(group, owner);
        unqueuedAt.remove(group);
        if (declaredAt.size() > KNOWN) {
            declaredAt.clear();
        }
        declaredAt.put(group, now);
    }

    private void declareKnown(int limit) {
        groups.newest(limit).forEach((group, owner) -> {
            try {
                queues().declare(owner, group);
            } catch (IOException e) {
                log.warn("cannot declare the result queue of task group {} again: {}", group, e.toString());
            }
        });
    }

    /** Hands ended tasks of {@code group} over to be published, if it has a queue; never waits. */
    public void offer(TaskGroupId group, List<TaskStatus> statuses) {
        List<TaskStatus> ended = statuses.stream().filter(s -> !s.pending()).toList();
        if (!ended.isEmpty() && !backlog.offer(new Batch(group, ended))) {
            log.warn(
                    "result queues are {} batches behind; results of task group {} stay readable over REST",
                    BACKLOG,
                    group);
        }
    }

    private void publishLoop() {
        List<Batch> batches = new ArrayList<>();
        while (open) {
            try {
                Batch first = backlog.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batches.add(first);
                backlog.drainTo(batches, 1000);
                publish(batches);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("result queues: {}", e.toString());
            } finally {
                batches.clear();
            }
        }
    }

    private void publish(List<Batch> batches) {
        Map<TaskGroupId, UUID> found = ownersOf(batches);
        for (Batch b : batches) {
            UUID owner = found.get(b.group());
            if (owner != null && owner != NONE) {
                queues().publish(owner, b.group(), b.ended());
            }
        }
    }

    private Map<TaskGroupId, UUID> ownersOf(List<Batch> batches) {
        long now = clock.millis();
        Map<TaskGroupId, UUID> out = new HashMap<>();
        List<TaskGroupId> ask = new ArrayList<>();
        for (Batch b : batches) {
            UUID known = owners.get(b.group());
            Long since = unqueuedAt.get(b.group());
            if (known != null) {
                out.put(b.group(), known);
            } else if (since != null && now - since < UNQUEUED_FOR_MS) {
                out.put(b.group(), NONE);
            } else if (!ask.contains(b.group())) {
                ask.add(b.group());
            }
        }
        if (!ask.isEmpty()) {
            Map<TaskGroupId, UUID> read = groups.owners(ask);
            for (TaskGroupId g : ask) {
                UUID owner = read.get(g);
                if (owner != null) {
                    owners.put(g, owner);
                    unqueuedAt.remove(g);
                    out.put(g, owner);
                } else {
                    if (unqueuedAt.size() > KNOWN) {
                        unqueuedAt.clear();
                    }
                    unqueuedAt.put(g, now);
                    out.put(g, NONE);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        open = false;
        // the loop sees it within a poll; an interrupt in the middle of a query would break its database connection
        try {
            if (!publisher.join(Duration.ofSeconds(5))) {
                publisher.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        opening.lock();
        try {
            if (queues != null) {
                queues.close();
            }
        } finally {
            opening.unlock();
        }
    }
}
