package dev.gantry.engines.pilot;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.worker.Frames;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One manager connected to the interchange: its block, its workers, the tasks out on it, and when it was last
 * heard from and written to. Its frames are written under a lock, never {@code synchronized} (the writers are
 * virtual threads).
 */
final class ManagerConnection {
    final String block;
    final int workers;
    final Socket socket;
    final Map<TaskId, PilotTask> outstanding = new ConcurrentHashMap<>();
    /** Functions whose code went ahead of their first task on this connection; the dispatch loop's alone. */
    private final Set<FunctionId> functionsSent = new HashSet<>();

    private final DataOutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Clock clock;
    private volatile long lastHeardMs;
    private volatile long lastSentMs;
    /** Why its block is ending, once its manager said so. */
    volatile String ending;

    ManagerConnection(String block, int workers, Socket socket, DataOutputStream out, Clock clock) {
        this.block = block;
        this.workers = workers;
        this.socket = socket;
        this.out = out;
        this.clock = clock;
        this.lastHeardMs = clock.millis();
        this.lastSentMs = lastHeardMs;
    }

    /** Slots for more tasks with {@code prefetch} beyond the workers; none once its block is ending. */
    int free(int prefetch, boolean blockEnded) {
        if (ending != null || blockEnded) {
            return 0;
        }
        return workers + prefetch - outstanding.size();
    }

    void send(PilotMessage m) throws IOException {
        writeLock.lock();
        try {
            Frames.write(out, m);
        } finally {
            writeLock.unlock();
        }
        lastSentMs = clock.millis();
    }

    /** Sends tasks in one frame, each function's code ahead of its first task on this connection. */
    void sendWork(List<PilotTask> tasks) throws IOException {
        List<TaskMessage> out = new ArrayList<>(tasks.size());
        List<FunctionDoc> code = new ArrayList<>();
        for (PilotTask t : tasks) {
            out.add(t.task());
            if (t.function() != null && functionsSent.add(t.function().functionUuid())) {
                code.add(t.function());
            }
        }
        send(new PilotMessage.Work(out, code));
    }

    void heard() {
        lastHeardMs = clock.millis();
    }

    long silentMs(long nowMs) {
        return nowMs - lastHeardMs;
    }

    long sinceSentMs(long nowMs) {
        return nowMs - lastSentMs;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
