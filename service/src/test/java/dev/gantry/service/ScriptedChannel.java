package dev.gantry.service;

import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.ChannelMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An endpoint channel driven by a test: the frames it receives, in order, and the frames it sends. */
final class ScriptedChannel implements AutoCloseable {
    final BlockingQueue<ChannelMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    ScriptedChannel(HttpClient http, String serviceUrl, String endpoint, String token) throws Exception {
        StringBuilder partial = new StringBuilder();
        ws = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(
                        URI.create(serviceUrl.replace("http://", "ws://") + "/v3/endpoints/" + endpoint + "/channel"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                                closed.complete(status);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    received.add(Json.read(partial.toString(), ChannelMessage.class));
                                    partial.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
    }

    void send(ChannelMessage m) throws Exception {
        sendRaw(Json.write(m));
    }

    /** Sends a frame as written, for frames no record of ours would encode. */
    void sendRaw(String frame) throws Exception {
        ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
    }

    /** Completes with the status the service closed this channel with. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    /** The next frame of type {@code type}, skipping others, within {@code within}. */
    <T extends ChannelMessage> T next(Class<T> type, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            ChannelMessage m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " frame within " + within);
    }

    /**
     * Waits for the service's Welcome (then null) or its close (then the close status); skips other frames.
     * Fails when neither comes within {@code within}.
     */
    Integer welcomedOrClosed(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            ChannelMessage m = received.poll(20, TimeUnit.MILLISECONDS);
            if (m instanceof ChannelMessage.Welcome) {
                return null;
            }
            if (m == null && closed.isDone()) {
                return closed.join();
            }
        }
        throw new AssertionError("neither a Welcome frame nor a close within " + within);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
