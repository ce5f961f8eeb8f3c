package dev.gantry.endpoint;

import dev.gantry.client.TextFrames;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.net.http.WebSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the endpoint channel. Its sender thread is the socket's only writer: it batches
 * acceptances, task output and results into frames and sends a status report every heartbeat period.
 */
public final class Channel {
    private static final Logger log = LoggerFactory.getLogger(Channel.class);
    private static final int MAX_FRAME_ITEMS = 1000;

    public final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Queue<TaskId> accepted;
    private final Queue<TaskId> waitingForNodes;
    private final Queue<TaskResult> results;
    private final OutputQueue output;
    private final Queue<ChannelMessage> control = new ConcurrentLinkedQueue<>();
    private final LinkedBlockingQueue<Boolean> wake = new LinkedBlockingQueue<>();
    private final Supplier<ChannelMessage.Status> status;
    private final int heartbeatPeriodMs;
    private volatile WebSocket ws;
    private final Clock clock;
    private volatile long lastHeardMs;

    public Channel(Outgoing outgoing, Supplier<ChannelMessage.Status> status, int heartbeatPeriodMs, Clock clock) {
        this.clock = clock;
        this.lastHeardMs = clock.millis();
        this.accepted = outgoing.accepted();
        this.waitingForNodes = outgoing.waitingForNodes();
        this.results = outgoing.results();
        this.output = outgoing.output();
        this.status = status;
        this.heartbeatPeriodMs = heartbeatPeriodMs;
    }

    /** The listener for the socket: whole messages to {@code onMessage}, closes complete {@link #closed}. */
    public WebSocket.Listener listener(Consumer<ChannelMessage> onMessage) {
        return new TextFrames(text -> {
            lastHeardMs = clock.millis();
            onMessage.accept(Json.read(text, ChannelMessage.class));
        }) {
            @Override
            public java.util.concurrent.CompletionStage<?> onPong(WebSocket w, java.nio.ByteBuffer message) {
                lastHeardMs = clock.millis();
                w.request(1);
                return null;
            }

            @Override
            public java.util.concurrent.CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                log.warn("endpoint channel failed: {}", error.toString());
                closed.complete(null);
            }
        };
    }

    /** Starts sending on {@code socket}: first {@code first} (hello and resent results), then the queues. */
    public void start(WebSocket socket, List<ChannelMessage> first) {
        this.ws = socket;
        control.addAll(first);
        Thread.ofVirtual().name("channel-sender").start(this::sendLoop);
    }

    public void send(ChannelMessage m) {
        control.add(m);
        wake();
    }

    void wake() {
        wake.offer(Boolean.TRUE);
    }

    private void sendLoop() {
        long nextHeartbeat = 0;
        try {
            while (!closed.isDone()) {
                wake.poll(Math.min(100, heartbeatPeriodMs), TimeUnit.MILLISECONDS);
                wake.clear();
                for (ChannelMessage m; (m = control.poll()) != null; ) {
                    send(Json.write(m));
                }
                List<TaskId> waits = drain(waitingForNodes);
                if (!waits.isEmpty()) {
                    send(Json.write(new ChannelMessage.WaitingForNodes(waits, clock.millis())));
                }
                List<TaskId> ids = drain(accepted);
                if (!ids.isEmpty()) {
                    send(Json.write(new ChannelMessage.Accepted(ids, clock.millis())));
                }
                // a task's last output is queued before its result: results taken first, then all output queued
                // by then goes ahead of them
                List<List<TaskResult>> ready = new ArrayList<>();
                for (List<TaskResult> batch = drainResults(results); !batch.isEmpty(); batch = drainResults(results)) {
                    ready.add(batch);
                }
                for (var chunks = output.nextFrame(); !chunks.isEmpty(); chunks = output.nextFrame()) {
                    send(Json.write(new ChannelMessage.Output(chunks)));
                }
                for (List<TaskResult> batch : ready) {
                    send(Json.write(new ChannelMessage.Results(batch)));
                }
                long now = clock.millis();
                if (now >= nextHeartbeat) {
                    send(Json.write(status.get()));
                    ws.sendPing(java.nio.ByteBuffer.allocate(0));
                    nextHeartbeat = now + heartbeatPeriodMs;
                }
                if (now - lastHeardMs > 3L * heartbeatPeriodMs + 2000) {
                    log.warn(
                            "endpoint channel: nothing heard from the service for {} ms; reconnecting",
                            now - lastHeardMs);
                    ws.abort();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("endpoint channel send failed: {}", e.toString());
        } finally {
            close();
        }
    }

    private static <T> List<T> drain(Queue<T> q) {
        List<T> out = new ArrayList<>();
        for (T x; out.size() < MAX_FRAME_ITEMS && (x = q.poll()) != null; ) {
            out.add(x);
        }
        return out;
    }

    /**
     * Results for one frame: up to {@link #MAX_FRAME_ITEMS}, and no more than {@link Limits#MAX_FRAME_RESULT_CHARS}
     * of data and messages together, but at least one, so that every frame stays within what the service takes.
     */
    static List<TaskResult> drainResults(Queue<TaskResult> q) {
        List<TaskResult> out = new ArrayList<>();
        long chars = 0;
        for (TaskResult r; out.size() < MAX_FRAME_ITEMS && (r = q.peek()) != null; ) {
            long size = size(r);
            if (!out.isEmpty() && chars + size > Limits.MAX_FRAME_RESULT_CHARS) {
                break;
            }
            out.add(q.poll());
            chars += size;
        }
        return out;
    }

    private static long size(TaskResult r) {
        long n = r.data() == null ? 0 : r.data().length();
        return r.error() == null || r.error().userMessage() == null
                ? n
                : n + r.error().userMessage().length();
    }

    private void send(String frame) throws Exception {
        ws.sendText(frame, true).get(30, TimeUnit.SECONDS);
    }

    public void close() {
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
            try {
                w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                w.abort();
            }
        }
        closed.complete(null);
        wake();
    }
}
