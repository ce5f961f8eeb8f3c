package dev.gantry.endpoint;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an endpoint's (or endpoint manager's) channel open: connects, sends the session's first frames, waits
 * for the channel to close, and connects again with jittered backoff (reset after ten connected seconds, moving
 * to the next service instance after a failure) until {@code open} turns false.
 */
public final class ChannelLoop {
    private static final Logger log = LoggerFactory.getLogger(ChannelLoop.class);

    /** What one endpoint does with each connection. */
    public interface Session {
        /** A channel for a new connection. */
        Channel newChannel();

        /** The frames that open the connection (hello, and what must be sent again), once the socket is open. */
        List<ChannelMessage> first();

        void onMessage(ChannelMessage m);

        /** The channel in use, or null between connections. */
        void current(Channel ch);
    }

    private ChannelLoop() {}

    /** What a session sends first on a new channel: its hello, then the results its outbox still holds. */
    public static List<ChannelMessage> firstFrames(ChannelMessage.Hello hello, Collection<TaskResult> unacked) {
        List<ChannelMessage> first = new ArrayList<>();
        first.add(hello);
        Queue<TaskResult> all = new ArrayDeque<>(unacked);
        for (List<TaskResult> batch = Channel.drainResults(all); !batch.isEmpty(); batch = Channel.drainResults(all)) {
            first.add(new ChannelMessage.Results(batch));
        }
        return first;
    }

    public static void run(
            ServiceClient client, String path, BooleanSupplier open, String who, Session s, Clock clock) {
        int attempt = 0;
        while (open.getAsBoolean()) {
            long connectedAt = clock.millis();
            try {
                Channel ch = s.newChannel();
                var ws = client.connectWebSocket(path, ch.listener(s::onMessage), Duration.ofSeconds(15));
                List<ChannelMessage> first = s.first();
                s.current(ch);
                ch.start(ws, first);
                log.info("{} connected to {}", who, client.serviceUrl());
                ch.closed.join();
                s.current(null);
                if (clock.millis() - connectedAt > 10_000) {
                    attempt = 0;
                }
                if (open.getAsBoolean()) {
                    log.warn("{} lost its channel; reconnecting", who);
                }
            } catch (Exception e) {
                if (open.getAsBoolean()) {
                    log.warn("{} cannot connect to {}: {}; retrying", who, client.serviceUrl(), why(e));
                    client.failover();
                }
            }
            if (open.getAsBoolean()) {
                Registration.pause(attempt++);
            }
        }
    }

    /** Why a connect failed, in words: the innermost cause, and what to check when nothing listens. */
    static String why(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof java.net.ConnectException) {
            return "nothing answers there (is the service running? gantry service status)";
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
