package dev.gantry.service.channel;

import dev.gantry.protocol.Json;
import io.javalin.websocket.WsContext;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a WebSocket: frames queue (bounded) and a virtual thread sends them in order. A peer whose
 * queue is full is disconnected at once ({@link #send}): no thread that serves others waits on it. It reconnects
 * and catches up from the database. Only the peer's own thread may wait for room ({@link #sendWaiting}).
 */
final class WsSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WsSender.class);
    private static final String POISON = "";
    /** The socket a sender writes to. */
    interface Target {
        String id();

        void send(String frame);

        void close(int status, String reason);

        static Target of(WsContext ws) {
            return new Target() {
                @Override
                public String id() {
                    return ws.sessionId();
                }

                @Override
                public void send(String frame) {
                    ws.send(frame);
                }

                @Override
                public void close(int status, String reason) {
                    ws.closeSession(status, reason);
                }
            };
        }
    }

    private final Target ws;
    private final BlockingQueue<String> frames;
    private final String name;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private Thread thread;

    WsSender(WsContext ws, int capacity, String name) {
        this(Target.of(ws), capacity, name);
    }

    WsSender(Target ws, int capacity, String name) {
        this.ws = ws;
        this.frames = new ArrayBlockingQueue<>(capacity);
        this.name = name;
    }

    WsSender start() {
        thread = Thread.ofVirtual().name(name).start(this::run);
        return this;
    }

    /** Queues a frame without waiting; false (and the connection closed) if the peer's queue is full. */
    boolean send(Object message) {
        if (!open.get()) {
            return false;
        }
        if (frames.offer(Json.write(message))) {
            return true;
        }
        log.warn("closing WebSocket {}: the peer does not read its frames", ws.id());
        closeSession(1008, "too slow");
        return false;
    }

    /** Queues a frame, waiting up to 30 s for room: only on the peer's own thread (a replay it asked for). */
    boolean sendWaiting(Object message) throws InterruptedException {
        if (open.get() && frames.offer(Json.write(message), 30, TimeUnit.SECONDS)) {
            return true;
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
            log.debug("WebSocket {} send failed: {}", ws.id(), e.toString());
            closeSession(1011, "send failed");
        }
    }

    void closeSession(int status, String reason) {
        open.set(false);
        try {
            ws.close(status, reason);
        } catch (RuntimeException e) {
            log.debug("closing WebSocket {}: {}", ws.id(), e.toString());
        }
    }

    /** Stops the writer; idempotent. */
    @Override
    public void close() {
        open.set(false);
        frames.clear();
        frames.offer(POISON);
    }
}
