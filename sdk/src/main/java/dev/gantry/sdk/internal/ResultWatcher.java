package dev.gantry.sdk.internal;

import dev.gantry.client.ServiceClient;
import dev.gantry.client.TextFrames;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.BatchStatusRequest;
import dev.gantry.protocol.api.BatchStatusResponse;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.StreamMessage;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes futures from the service's result stream. It subscribes with replay, so after a reconnect
 * every task that ended meanwhile is sent again; results that arrive before their future is registered
 * wait in {@code early}. What the tasks write comes on the same stream, before their results ({@link OutputWatch}).
 */
public final class ResultWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultWatcher.class);

    private record Watch(CompletableFuture<Object> future, Class<Object> type, long sinceMs) {}

    /** Futures waiting longer than this are looked up through REST, in case their result was not streamed. */
    static final long BACKSTOP_AFTER_MS = 10_000;

    private static final int BACKSTOP_CHUNK = 1000;

    private final ServiceClient http;
    private final Map<TaskId, Watch> watching = new ConcurrentHashMap<>();
    private final Map<TaskId, TaskStatus> early = new ConcurrentHashMap<>();
    private final Set<TaskGroupId> groups = ConcurrentHashMap.newKeySet();
    private final OutputWatch output = new OutputWatch();
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile WebSocket ws;
    private volatile boolean open = true;
    private Thread keeper;

    private final boolean javaNative;
    private final Clock clock;

    /** With {@code javaNative}, results in Java native serialization are decoded too (the executor opted in). */
    public ResultWatcher(ServiceClient http, boolean javaNative) {
        this(http, javaNative, Clock.systemUTC());
    }

    /** With the clock that decides when a silent task is polled for ({@link #BACKSTOP_AFTER_MS}). */
    ResultWatcher(ServiceClient http, boolean javaNative, Clock clock) {
        this.clock = clock;
        this.http = http;
        this.javaNative = javaNative;
    }

    /** Hands each line {@code task} writes to {@code lines}, as it arrives, until the task ends. */
    public void watchOutput(TaskId task, Consumer<String> lines) {
        output.watch(task, lines);
    }

    @SuppressWarnings("unchecked")
    public <T> void watch(TaskId task, CompletableFuture<T> future, Class<T> type) {
        TaskStatus ready = early.remove(task);
        if (ready != null) {
            Results.complete(future, ready, type, javaNative);
            return;
        }
        watching.put(task, new Watch((CompletableFuture<Object>) future, (Class<Object>) type, clock.millis()));
        claim(task);
    }

    /** Completes the task's future if both it and its result are here; whoever removes both completes it. */
    private void claim(TaskId task) {
        TaskStatus ready = early.remove(task);
        if (ready != null) {
            Watch w = watching.remove(task);
            if (w != null) {
                Results.complete(w.future(), ready, w.type(), javaNative);
            } else {
                early.put(task, ready);
            }
        }
    }

    /** Follows a task group's results from now on (and those already ended). */
    public void follow(TaskGroupId group) {
        if (groups.add(group)) {
            ensureConnected();
            send(new StreamMessage.Subscribe(group, true, true));
        }
    }

    private void ensureConnected() {
        if (keeper == null) {
            synchronized (this) {
                if (keeper == null) {
                    connect();
                    keeper = Thread.ofVirtual().name("result-watcher").start(this::keepAlive);
                }
            }
        }
    }

    private void connect() {
        try {
            ws = http.connectWebSocket(
                    "/v3/stream",
                    new TextFrames(this::onFrame) {
                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            ws = null;
                            return null;
                        }

                        @Override
                        public void onError(WebSocket w, Throwable error) {
                            log.debug("result stream failed: {}", error.toString());
                            ws = null;
                        }
                    },
                    Duration.ofSeconds(15));
        } catch (Exception e) {
            http.failover();
            throw new GantryException(ApiError.SERVICE_UNAVAILABLE, "cannot open the result stream: " + e, e);
        }
    }

    /**
     * Every 5 s: pings, looks up futures that waited too long (the backstop), and reconnects and re-subscribes
     * (with replay) when the stream dropped.
     */
    private void keepAlive() {
        int attempt = 0;
        while (open) {
            try {
                Thread.sleep(ws == null ? Math.min(5_000, 250L << Math.min(attempt, 6)) : 5_000);
                if (!open) {
                    return;
                }
                backstop();
                WebSocket w = ws;
                if (w != null) {
                    w.sendPing(ByteBuffer.allocate(0));
                    continue;
                }
                connect();
                attempt = 0;
                groups.forEach(g -> send(new StreamMessage.Subscribe(g, true, true)));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                attempt++;
                log.debug("reconnecting the result stream: {}", e.toString());
            }
        }
    }

    /** Completes, through {@code /v2/batch_status}, futures whose tasks ended but whose results never came. */
    private void backstop() {
        output.expire(clock.millis());
        long cutoff = clock.millis() - BACKSTOP_AFTER_MS;
        List<TaskId> late = watching.entrySet().stream()
                .filter(e -> e.getValue().sinceMs() < cutoff)
                .map(Map.Entry::getKey)
                .toList();
        for (int i = 0; i < late.size(); i += BACKSTOP_CHUNK) {
            if (!fetch(late.subList(i, Math.min(late.size(), i + BACKSTOP_CHUNK)))) {
                return;
            }
        }
    }

    /** Delivers those of {@code ids} that ended, as {@code /v2/batch_status} shows them; false if it failed. */
    private boolean fetch(List<TaskId> ids) {
        try {
            BatchStatusResponse r =
                    http.post("/v2/batch_status", new BatchStatusRequest(ids), BatchStatusResponse.class);
            long now = clock.millis();
            r.results().values().stream()
                    .filter(s -> !s.pending() && !s.withheld())
                    .forEach(s -> {
                        output.endedByLookup(s.taskId(), now);
                        deliver(s);
                    });
            return true;
        } catch (RuntimeException e) {
            log.debug("looking up ended tasks failed: {}", e.toString());
            return false;
        }
    }

    private void send(StreamMessage m) {
        sendLock.lock();
        try {
            WebSocket w = ws;
            if (w != null) {
                w.sendText(Json.write(m), true).get(15, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            log.debug("sending on the result stream failed: {}", e.toString());
        } finally {
            sendLock.unlock();
        }
    }

    private void onFrame(String text) {
        switch (Json.read(text, StreamMessage.class)) {
            case StreamMessage.Results r ->
                r.results().forEach(s -> {
                    output.ended(s.taskId()); // the stream brings a task's output before its result
                    deliver(s);
                });
            case StreamMessage.Output o -> output.add(o.output());
            case StreamMessage.Error e -> log.warn("the result stream refused a request: {} {}", e.code(), e.message());
            default -> {}
        }
    }

    private void deliver(TaskStatus s) {
        if (s.withheld()) { // a high-assurance task ended: its outcome comes from an authenticated fetch
            Thread.ofVirtual().name("fetch-" + s.taskId()).start(() -> fetch(List.of(s.taskId())));
            return;
        }
        Watch w = watching.remove(s.taskId());
        if (w == null) {
            early.put(s.taskId(), s);
            claim(s.taskId());
        } else {
            Results.complete(w.future(), s, w.type(), javaNative);
        }
    }

    @Override
    public void close() {
        open = false;
        if (keeper != null) {
            keeper.interrupt();
        }
        WebSocket w = ws;
        if (w != null) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        early.clear();
        output.clear();
    }
}
