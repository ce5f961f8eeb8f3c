package dev.gantry.engines.pilot;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.Frames;
import dev.gantry.worker.TaskRunner;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pilot engine's hub in the endpoint: managers connect to it over TCP and register with their engine's
 * token; it hands queued tasks to managers with free slots ({@code workers + prefetch_capacity}), in one frame
 * per manager per round, and completes tasks from their results. A manager that closes its connection or is
 * silent past {@code heartbeat_threshold} is lost: its tasks fail with {@code BLOCK_ENDED} if its block's job
 * ended (it said so on SIGTERM, or the scheduler says so), else {@code WORKER_LOST}; the service retries them.
 */
final class Interchange implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Interchange.class);

    /** A task in the engine: queued here ({@code waiting-for-nodes}) or out on a manager. */
    record Job(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {}

    /** One connected manager. */
    final class Link {
        final String block;
        final int workers;
        final DataOutputStream out;
        final Socket socket;
        final Map<TaskId, Job> outstanding = new ConcurrentHashMap<>();
        final Set<FunctionId> functionsSent = new HashSet<>();
        volatile long lastHeardMs = System.currentTimeMillis();
        volatile long lastSentMs = System.currentTimeMillis();
        volatile String ending;

        Link(String block, int workers, Socket socket, DataOutputStream out) {
            this.block = block;
            this.workers = workers;
            this.socket = socket;
            this.out = out;
        }

        /** Slots for more tasks: none once its block is ending (given back, or its job ended). */
        int free() {
            if (ending != null || blockEnded.test(block)) {
                return 0;
            }
            return workers + prefetch - outstanding.size();
        }

        void send(PilotMessage m) throws IOException {
            synchronized (out) {
                Frames.write(out, m);
            }
            lastSentMs = System.currentTimeMillis();
        }
    }

    private final String token;
    private final int prefetch;
    private final long heartbeatPeriodMs;
    private final long heartbeatThresholdMs;
    private final Predicate<String> blockEnded;
    private final Consumer<TaskId> onStart;
    private final ServerSocket server;
    private final ArrayDeque<Job> queued = new ArrayDeque<>();
    private final Map<TaskId, Job> queuedById = new ConcurrentHashMap<>();
    private final Map<TaskId, Link> where = new ConcurrentHashMap<>();
    private final List<Link> links = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private volatile boolean open = true;

    /**
     * Listens on {@code address} (an ephemeral port). {@code blockEnded} tells whether a block's job has ended
     * as far as the scheduler knows; {@code onStart} hears of each task a worker starts.
     */
    Interchange(String address, String token, int prefetch, long heartbeatPeriodMs, long heartbeatThresholdMs,
            Predicate<String> blockEnded, Consumer<TaskId> onStart) throws IOException {
        this.onStart = onStart;
        this.token = token;
        this.prefetch = prefetch;
        this.heartbeatPeriodMs = heartbeatPeriodMs;
        this.heartbeatThresholdMs = heartbeatThresholdMs;
        this.blockEnded = blockEnded;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 128);
        Thread.ofVirtual().name("interchange-accept").start(this::accept);
        Thread.ofVirtual().name("interchange-dispatch").start(this::dispatchLoop);
        Thread.ofVirtual().name("interchange-heartbeat").start(this::heartbeatLoop);
    }

    /** Where managers connect: {@code host:port}. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    void submit(Job job) {
        lock.lock();
        try {
            queued.add(job);
            queuedById.put(job.task().task(), job);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A queued task never runs; one on a manager is cancelled there. False if this engine does not have it. */
    boolean cancel(TaskId task) {
        lock.lock();
        try {
            Job job = queuedById.remove(task);
            if (job != null) {
                queued.remove(job);
                job.onDone().accept(TaskRunner.cancelled(job.task(), System.currentTimeMillis()));
                return true;
            }
        } finally {
            lock.unlock();
        }
        Link link = where.get(task);
        if (link == null) {
            return false;
        }
        try {
            link.send(new PilotMessage.Cancel(List.of(task)));
        } catch (IOException e) {
            lose(link, "its connection failed: " + e.getMessage());
        }
        return true;
    }

    /** Whether some manager could take a task now (none while blocks are starting or all slots are taken). */
    boolean hasFreeSlot() {
        int free = links.stream().mapToInt(Link::free).sum();
        return free > queuedCount();
    }

    int queuedCount() {
        return queuedById.size();
    }

    List<Link> links() {
        return links;
    }

    /** Fails every queued task with {@code code}: they have nowhere to run (the scheduler refuses blocks). */
    void failQueued(ErrorCode code, String why) {
        List<Job> failed = new ArrayList<>();
        lock.lock();
        try {
            failed.addAll(queued);
            queued.clear();
            queuedById.clear();
        } finally {
            lock.unlock();
        }
        long now = System.currentTimeMillis();
        for (Job j : failed) {
            j.onDone().accept(new TaskResult(j.task().task(), j.task().attempt(), why,
                    new TaskResult.Failure(code, why, code == ErrorCode.PROVIDER_ERROR ? "ProviderError" : "BlockEnded"),
                    now, now));
        }
    }

    private void accept() {
        while (open) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().name("interchange-link").start(() -> serve(s));
            } catch (IOException e) {
                if (open) {
                    log.warn("interchange: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        Link link = null;
        try (s) {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) Math.max(10_000, heartbeatThresholdMs));
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            if (!(Frames.read(in, PilotMessage.class) instanceof PilotMessage.Register r) || !tokenMatches(r.token())) {
                log.warn("interchange: refused a connection from {} without this engine's token", s.getRemoteSocketAddress());
                return;
            }
            link = new Link(r.block(), Math.max(1, r.workers()), s,
                    new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16)));
            links.add(link);
            log.info("manager of block {} registered from {} (pid {}, {} workers)", r.block(), r.host(), r.pid(), r.workers());
            signal();
            for (PilotMessage m; (m = Frames.read(in, PilotMessage.class)) != null; ) {
                link.lastHeardMs = System.currentTimeMillis();
                switch (m) {
                    case PilotMessage.Results res -> {
                        res.started().forEach(onStart);
                        completed(link, res.results());
                    }
                    case PilotMessage.Ending e -> link.ending = e.reason();
                    default -> { }
                }
            }
            lose(link, "it closed its connection");
        } catch (IOException | RuntimeException e) {
            if (link != null) {
                lose(link, "its connection failed: " + e.getMessage());
            }
        }
    }

    private boolean tokenMatches(String offered) {
        return offered != null && MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private void completed(Link link, List<TaskResult> results) {
        for (TaskResult r : results) {
            Job job = link.outstanding.remove(r.task());
            where.remove(r.task());
            if (job != null) {
                job.onDone().accept(r);
            }
        }
        signal();
    }

    /** The manager is gone: each of its tasks fails with the reason, and the service decides on a retry. */
    void lose(Link link, String why) {
        boolean first = links.remove(link);
        if (!open) {
            return; // closing with the endpoint: its tasks are the service's to take back
        }
        // tasks fail before the socket closes, so that they carry this reason, not the closed socket's; a
        // second call (the reader seeing the close, or a dispatch round that raced the loss) fails what is left
        boolean ended = link.ending != null || blockEnded.test(link.block);
        ErrorCode code = ended ? ErrorCode.BLOCK_ENDED : ErrorCode.WORKER_LOST;
        String reason = ended ? "block " + link.block + " ended"
                + (link.ending != null ? " (" + link.ending + ")" : " (its batch job is no longer running)")
                : "the manager of block " + link.block + " was lost: " + why;
        if (first && !link.outstanding.isEmpty()) {
            log.warn("{}; failing its {} tasks with {}", reason, link.outstanding.size(), code);
        }
        long now = System.currentTimeMillis();
        for (Job job : List.copyOf(link.outstanding.values())) {
            if (link.outstanding.remove(job.task().task()) != null) {
                where.remove(job.task().task());
                job.onDone().accept(new TaskResult(job.task().task(), job.task().attempt(), reason,
                        new TaskResult.Failure(code, reason, ended ? "BlockEnded" : "WorkerLost"), now, now));
            }
        }
        if (first) {
            try {
                link.socket.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Hands queued tasks to managers with free slots, the emptiest first, one frame per manager per round. */
    private void dispatchLoop() {
        while (open) {
            List<Map.Entry<Link, List<Job>>> round = new ArrayList<>();
            lock.lock();
            try {
                while (open && (queued.isEmpty() || links.stream().noneMatch(l -> l.free() > 0))) {
                    work.await();
                }
                for (Link l : links) {
                    int n = Math.min(l.free(), queued.size());
                    if (n > 0) {
                        List<Job> jobs = new ArrayList<>(n);
                        for (int i = 0; i < n; i++) {
                            Job j = queued.poll();
                            queuedById.remove(j.task().task());
                            l.outstanding.put(j.task().task(), j);
                            where.put(j.task().task(), l);
                            jobs.add(j);
                        }
                        round.add(Map.entry(l, jobs));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            round.forEach(e -> send(e.getKey(), e.getValue()));
        }
    }

    private void send(Link link, List<Job> jobs) {
        List<TaskMessage> tasks = new ArrayList<>(jobs.size());
        List<FunctionDoc> code = new ArrayList<>();
        for (Job j : jobs) {
            tasks.add(j.task());
            if (j.function() != null && link.functionsSent.add(j.function().functionUuid())) {
                code.add(j.function());
            }
        }
        try {
            link.send(new PilotMessage.Work(tasks, code));
        } catch (IOException e) {
            lose(link, "sending it tasks failed: " + e.getMessage());
        }
    }

    private void heartbeatLoop() {
        while (open) {
            try {
                Thread.sleep(Math.max(50, heartbeatPeriodMs / 2));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.currentTimeMillis();
            for (Link l : links) {
                if (now - l.lastHeardMs > heartbeatThresholdMs) {
                    lose(l, "no heartbeat for " + (now - l.lastHeardMs) + " ms");
                } else if (now - l.lastSentMs >= heartbeatPeriodMs) {
                    try {
                        l.send(new PilotMessage.Heartbeat());
                    } catch (IOException e) {
                        lose(l, "its connection failed: " + e.getMessage());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(l -> {
            try {
                l.socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        });
        signal();
    }
}
