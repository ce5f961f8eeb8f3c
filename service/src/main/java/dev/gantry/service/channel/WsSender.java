package dev.gantry.service.channel;

import dev.gantry.protocol.Json;
import io.javalin.websocket.WsContext;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a WebSocket: frames queue (bounded) and a virtual thread sends them in order. A peer
 * that does not keep up within the wait is disconnected; it reconnects and catches up from the database.
 */
final class WsSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WsSender.class);
    private static final String POISON = "";
    private final WsContext ws;
    private final BlockingQueue<String> frames;
    private final Thread thread;
    private volatile boolean open = true;

    WsSender(WsContext ws, int capacity, String name) {
        this.ws = ws;
        this.frames = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofVirtual().name(name).start(this::run);
    }

    /** Queues a frame; false (and the connection closed) if the peer did not drain its queue in 30 s. */
    boolean send(Object message) {
        if (!open) {
            return false;
        }
        try {
            if (frames.offer(Json.write(message), 30, TimeUnit.SECONDS)) {
                return true;
            }
            log.warn("closing WebSocket {}: the peer does not read its frames", ws.sessionId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSession(1008, "too slow");
        return false;
    }

    private void run() {
        try {
            while (true) {
                String frame = frames.take();
                if (frame == POISON) {
                    return;
                }
                ws.send(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("WebSocket {} send failed: {}", ws.sessionId(), e.toString());
            closeSession(1011, "send failed");
        }
    }

    void closeSession(int status, String reason) {
        open = false;
        try {
            ws.closeSession(status, reason);
        } catch (RuntimeException e) {
            log.debug("closing WebSocket {}: {}", ws.sessionId(), e.toString());
        }
    }

    @Override
    public void close() {
        open = false;
        frames.clear();
        frames.offer(POISON);
    }
}
