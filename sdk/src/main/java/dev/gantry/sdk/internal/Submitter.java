package dev.gantry.sdk.internal;

import dev.gantry.client.ApiException;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.Backoff;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.api.SubmitResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends submissions in batches from a background thread: it takes what has queued up (at most
 * {@code batchSize}), sends it as one request, and hands each future its task id in request order.
 * Unreachable or overloaded services are retried with backoff; each request carries an idempotency key, so a
 * retry of a request whose reply was lost gets the same task ids instead of new tasks. Other refusals fail the
 * batch's futures.
 */
public final class Submitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);
    private static final int RETRIES = 6;

    /** Python functions' results come back as JSON, which Java reads (Globus Compute's default is dill). */
    public static final List<String> JSON_RESULTS = List.of("globus_compute_sdk.serialize.JSONData");

    /** One queued submission; {@code onId} receives the task id (the future is watched from then on). */
    public record Pending(
            CompletableFuture<?> future,
            FunctionId function,
            String payload,
            ResourceSpec resources,
            BiConsumer<TaskId, TaskGroupId> onId) {}

    private final EndpointId endpoint;
    private final int batchSize;
    private final Function<SubmitRequest, SubmitResponse> send;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile TaskGroupId group;
    private volatile boolean open = true;

    /** The retry policy of the tasks submitted: retries after system failures (null: the endpoint's), user errors too. */
    public record RetryPolicy(Integer maxRetries, boolean retryUserErrors) {}

    private final RetryPolicy policy;

    public Submitter(
            EndpointId endpoint,
            TaskGroupId group,
            int batchSize,
            RetryPolicy policy,
            Function<SubmitRequest, SubmitResponse> send) {
        this.policy = policy;
        this.endpoint = endpoint;
        this.group = group;
        this.batchSize = batchSize;
        this.send = send;
        this.queue = new ArrayBlockingQueue<>(Math.max(batchSize * 64, 65_536));
        this.thread = Thread.ofVirtual().name("task-submitter").start(this::run);
    }

    public void add(Pending p) {
        if (!open) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, "the executor is shut down");
        }
        try {
            queue.put(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.future().cancel(false);
        }
    }

    public TaskGroupId group() {
        return group;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (open || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                sendBatch(batch);
            } catch (InterruptedException e) {
                if (!open && queue.isEmpty()) {
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    /** A batch's tasks share one resource specification per request: the batch is split where it changes. */
    private void sendBatch(List<Pending> batch) throws InterruptedException {
        Map<ResourceSpec, List<Pending>> bySpec = new LinkedHashMap<>();
        for (Pending p : batch) {
            bySpec.computeIfAbsent(p.resources(), k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<ResourceSpec, List<Pending>> e : bySpec.entrySet()) {
            sendRequest(e.getKey(), e.getValue());
        }
    }

    private void sendRequest(ResourceSpec resources, List<Pending> batch) throws InterruptedException {
        Map<String, List<Pending>> byFunction = new LinkedHashMap<>();
        for (Pending p : batch) {
            if (!p.future().isDone()) {
                byFunction
                        .computeIfAbsent(p.function().toString(), k -> new ArrayList<>())
                        .add(p);
            }
        }
        if (byFunction.isEmpty()) {
            return;
        }
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        byFunction.forEach(
                (fn, list) -> tasks.put(fn, list.stream().map(Pending::payload).toList()));
        // no AMQP result queue (create_queue false): this SDK streams its results over the service's WebSocket
        SubmitRequest request = new SubmitRequest(
                        group,
                        false,
                        tasks,
                        null,
                        resources == null ? null : Json.mapper().valueToTree(resources),
                        null,
                        JSON_RESULTS)
                .with(java.util.UUID.randomUUID().toString(), policy.maxRetries(), policy.retryUserErrors());
        try {
            SubmitResponse response = sendWithRetries(request);
            group = response.taskGroupId();
            byFunction.forEach((fn, list) -> {
                List<TaskId> ids = response.tasks().getOrDefault(fn, List.of());
                for (int i = 0; i < list.size(); i++) {
                    if (i < ids.size()) {
                        list.get(i).onId().accept(ids.get(i), group);
                    } else {
                        list.get(i)
                                .future()
                                .completeExceptionally(new GantryException(
                                        ApiError.INTERNAL_ERROR,
                                        "the service returned fewer task ids than tasks submitted"));
                    }
                }
            });
        } catch (GantryException e) {
            log.warn("a batch of {} tasks was refused: {}", batch.size(), e.getMessage());
            batch.forEach(p -> p.future().completeExceptionally(e));
        }
    }

    private static final Backoff RETRY = new Backoff(200, 10_000, true);

    private SubmitResponse sendWithRetries(SubmitRequest request) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return send.apply(request);
            } catch (ApiException e) {
                if (!e.retryable() || attempt >= RETRIES) {
                    throw e;
                }
                log.info("submit failed ({}); retrying", e.getMessage());
                Thread.sleep(RETRY.delayMs(attempt + 1, ThreadLocalRandom.current()));
            }
        }
    }

    /** Stops taking submissions; what is queued is still sent. */
    public void shutdown() {
        open = false;
    }

    /** Stops at once: queued submissions are cancelled and returned. */
    public List<Pending> shutdownNow() {
        open = false;
        List<Pending> unsent = new ArrayList<>();
        queue.drainTo(unsent);
        unsent.forEach(p -> p.future().cancel(false));
        thread.interrupt();
        return unsent;
    }

    @Override
    public void close() {
        shutdown();
    }
}
