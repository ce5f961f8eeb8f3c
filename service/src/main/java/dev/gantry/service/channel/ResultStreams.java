package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.StreamMessage;
import dev.gantry.service.http.Auth;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.TaskStore;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's result stream ({@code /v3/stream}): a client subscribes to its task groups and receives each
 * task's final status as soon as it is committed; with {@code replay} it first gets those already ended; with
 * {@code output}, also what the group's tasks write while they run.
 */
public final class ResultStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultStreams.class);
    private static final String PATH = "/v3/stream";
    private static final int REPLAY_PAGE = 1000;
    /** Task groups one stream may watch. */
    static final int MAX_GROUPS = 1000;
    /** A client sends subscriptions only: a frame of more than this closes its stream (1009), whoever it is. */
    static final int MAX_FRAME_CHARS = 64 * 1024;

    private final Auth auth;
    private final TaskStore tasks;
    private final Broker broker;
    private final Predicate<EndpointId> highAssurance;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private record Client(
            Identity who,
            WsSender sender,
            List<AutoCloseable> subscriptions,
            java.util.Set<dev.gantry.protocol.TaskGroupId> groups) {}

    /** {@code highAssurance}: endpoints whose tasks' outcomes a replay shows as notices only. */
    public ResultStreams(Auth auth, TaskStore tasks, Broker broker, Predicate<EndpointId> highAssurance) {
        this.highAssurance = highAssurance;
        this.auth = auth;
        this.tasks = tasks;
        this.broker = broker;
    }

    public void register(Javalin app) {
        app.wsBeforeUpgrade(PATH, auth::authenticate);
        app.ws(PATH, ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setMaxTextMessageSize(MAX_FRAME_CHARS);
                clients.put(
                        ctx.sessionId(),
                        new Client(
                                Auth.identity(ctx),
                                new WsSender(ctx, 4096, "stream-" + ctx.sessionId()).start(),
                                new CopyOnWriteArrayList<>(),
                                ConcurrentHashMap.newKeySet()));
            });
            ws.onMessage(ctx -> {
                try {
                    onFrame(ctx, Json.read(ctx.message(), StreamMessage.class));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (GantryException e) {
                    Client c = clients.get(ctx.sessionId());
                    if (c != null) {
                        c.sender().send(new StreamMessage.Error(e.code(), e.getMessage()));
                    }
                }
            });
            ws.onClose(ctx -> closed(ctx.sessionId()));
            ws.onError(ctx -> closed(ctx.sessionId()));
        });
    }

    /**
     * A subscription: each group once per connection (a second subscribe only replays), at most
     * {@link #MAX_GROUPS} groups. The broker's thread only queues what it hands over: a client that does not
     * read is disconnected when its queue is full, and no other client or endpoint waits for it.
     */
    private void onFrame(WsContext ctx, StreamMessage m) throws InterruptedException {
        Client c = closing ? null : clients.get(ctx.sessionId());
        if (c == null || !(m instanceof StreamMessage.Subscribe s)) {
            return;
        }
        if (!tasks.groupOwned(c.who(), s.taskGroupId())) {
            throw new GantryException(ApiError.TASK_GROUP_NOT_FOUND, "task group " + s.taskGroupId() + " not found");
        }
        if (!c.groups().contains(s.taskGroupId())) {
            if (c.groups().size() >= MAX_GROUPS) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "a stream may watch at most " + MAX_GROUPS + " task groups; open another stream");
            }
            c.groups().add(s.taskGroupId());
            c.subscriptions()
                    .add(broker.subscribeResults(
                            s.taskGroupId(), results -> c.sender().send(new StreamMessage.Results(results))));
            if (s.output()) {
                c.subscriptions()
                        .add(broker.subscribeOutput(
                                s.taskGroupId(), chunks -> c.sender().send(new StreamMessage.Output(chunks))));
            }
        }
        if (s.replay()) {
            replay(c, s.taskGroupId());
        }
    }

    /** Sends every subscribed group's ended tasks again: after a broker loss, fanned-out results may be missing. */
    public void replayAll() {
        for (Client c : clients.values()) {
            Thread.ofVirtual().name("stream-replay").start(() -> {
                try {
                    for (dev.gantry.protocol.TaskGroupId g : c.groups()) {
                        replay(c, g);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /** Sends a group's ended tasks, page by page, waiting for the client to read (on the client's own thread). */
    private void replay(Client c, dev.gantry.protocol.TaskGroupId group) throws InterruptedException {
        long[] after = {0};
        List<TaskStatus> page;
        do {
            page = tasks.endedInGroup(group, after[0], REPLAY_PAGE, after);
            List<TaskStatus> shown = page.stream()
                    .map(s -> s.details() != null
                                    && highAssurance.test(s.details().endpointId())
                            ? s.notice()
                            : s)
                    .toList();
            if (!page.isEmpty() && !c.sender().sendWaiting(new StreamMessage.Results(shown))) {
                return;
            }
        } while (page.size() == REPLAY_PAGE);
    }

    private void closed(String session) {
        Client c = clients.remove(session);
        if (c == null) {
            return;
        }
        for (AutoCloseable s : c.subscriptions()) {
            try {
                s.close();
            } catch (Exception e) {
                log.debug("unsubscribing: {}", e.toString());
            }
        }
        c.sender().close();
    }

    /** Closes every stream; frames that arrive afterwards change nothing. Idempotent. */
    @Override
    public void close() {
        closing = true;
        List.copyOf(clients.keySet()).forEach(this::closed);
    }
}
