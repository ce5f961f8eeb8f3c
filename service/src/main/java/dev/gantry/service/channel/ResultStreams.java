package dev.gantry.service.channel;

import dev.gantry.broker.Broker;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.StreamMessage;
import dev.gantry.service.http.Auth;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.TaskOutputs;
import dev.gantry.service.store.TaskStore;
import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's result stream ({@code /v3/stream}): a client subscribes to its task groups and receives each
 * task's final status as soon as it is committed; with {@code replay} it first gets those already ended; with
 * {@code output}, also what the group's tasks write while they run (and, in a replay, the tail of what each ended
 * task wrote, ahead of its result).
 */
public final class ResultStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResultStreams.class);
    private static final String PATH = "/v3/stream";
    private static final int REPLAY_PAGE = 1000;
    /** How much of each ended task's output a replay sends, and at most how much for a page of tasks. */
    static final long REPLAY_OUTPUT_PER_TASK = 64 * 1024;

    static final long REPLAY_OUTPUT_PER_PAGE = 4L * 1024 * 1024;
    private static final long REPLAY_FRAME_BYTES = 1024 * 1024;
    /** Task groups one stream may watch. */
    static final int MAX_GROUPS = 1000;
    /** A client sends subscriptions only: a frame of more than this closes its stream (1009), whoever it is. */
    static final int MAX_FRAME_CHARS = 64 * 1024;

    private final Auth auth;
    private final TaskStore tasks;
    private final Broker broker;
    private final Predicate<EndpointId> highAssurance;
    private final TaskOutputs outputs;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private record Client(
            Identity who,
            WsSender sender,
            List<AutoCloseable> subscriptions,
            Set<TaskGroupId> groups,
            Set<TaskGroupId> withOutput) {}

    /**
     * {@code highAssurance}: endpoints whose tasks' outcomes a replay shows as notices only; {@code outputs}: what a
     * replay to a subscriber of output sends ahead of each task's result (the tail of what it wrote).
     */
    public ResultStreams(
            Auth auth, TaskStore tasks, TaskOutputs outputs, Broker broker, Predicate<EndpointId> highAssurance) {
        this.outputs = outputs;
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
                                ConcurrentHashMap.newKeySet(),
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
                c.withOutput().add(s.taskGroupId());
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
                    for (TaskGroupId g : c.groups()) {
                        replay(c, g);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /**
     * Sends a group's ended tasks, page by page, waiting for the client to read (on the client's own thread). A
     * subscriber of output gets the tail of what each task wrote first ({@link #REPLAY_OUTPUT_PER_TASK}, at most
     * {@link #REPLAY_OUTPUT_PER_PAGE} a page): what ran before it subscribed, or while it was away, is not lost.
     */
    private void replay(Client c, TaskGroupId group) throws InterruptedException {
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
            if (!page.isEmpty() && c.withOutput().contains(group) && !replayOutput(c, shown)) {
                return;
            }
            if (!page.isEmpty() && !c.sender().sendWaiting(new StreamMessage.Results(shown))) {
                return;
            }
        } while (page.size() == REPLAY_PAGE);
    }

    private boolean replayOutput(Client c, List<TaskStatus> page) throws InterruptedException {
        List<TaskId> ids = page.stream()
                .filter(s -> s.highAssurance() == null)
                .map(TaskStatus::taskId)
                .toList();
        List<OutputChunk> frame = new ArrayList<>();
        long frameBytes = 0;
        long pageBytes = 0;
        for (OutputChunk o : outputs.tails(ids, REPLAY_OUTPUT_PER_TASK)) {
            if ((pageBytes += o.length()) > REPLAY_OUTPUT_PER_PAGE) {
                break;
            }
            if (frame.size() == Limits.MAX_FRAME_CHUNKS || frameBytes + o.length() > REPLAY_FRAME_BYTES) {
                if (!c.sender().sendWaiting(new StreamMessage.Output(frame))) {
                    return false;
                }
                frame = new ArrayList<>();
                frameBytes = 0;
            }
            frame.add(o);
            frameBytes += o.length();
        }
        return frame.isEmpty() || c.sender().sendWaiting(new StreamMessage.Output(frame));
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
