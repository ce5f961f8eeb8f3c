package dev.gantry.engines.pilot;

import dev.gantry.engines.ThreadEngine;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.Frames;
import dev.gantry.worker.MpiLauncher;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A manager: started once per node of a block by its launcher, it connects back to the interchange, runs
 * its workers (threads of this JVM, each task in the thread engine's runner, so shell and MPI tasks run as
 * processes), and sends results back in batches. It exits when the interchange goes away or stays silent
 * past the heartbeat threshold, so a block never outlives its endpoint for long; on SIGTERM (the scheduler
 * ends the job) it tells the interchange first.
 *
 * <p>Usage: {@code ManagerMain HOST:PORT SECRET_FILE|env BLOCK MAX_WORKERS CORES_PER_WORKER MEM_PER_WORKER_GB
 * HEARTBEAT_PERIOD_MS HEARTBEAT_THRESHOLD_MS WORK_DIR MPI_LAUNCHER}
 */
public final class ManagerMain {
    /** Output chunks waiting for the interchange; past this many, new ones are dropped (gaps in task logs). */
    private static final int MAX_QUEUED_CHUNKS = 256;

    private final DataOutputStream out;
    private final LinkedBlockingQueue<TaskResult> results = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<TaskId> started = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<OutputChunk> output = new LinkedBlockingQueue<>(MAX_QUEUED_CHUNKS);
    private volatile long lastHeardMs;

    private final Clock clock = Clock.systemUTC(); // its own process: the composition root

    private ManagerMain(DataOutputStream out) {
        this.lastHeardMs = clock.millis();
        this.out = out;
    }

    /** The token argument that says: read it from {@link #TOKEN_VARIABLE}. */
    static final String TOKEN_FROM_ENV = "env";

    static final String TOKEN_VARIABLE = "GANTRY_PILOT_TOKEN";

    public static void main(String[] a) throws Exception {
        String[] hostPort = a[0].split(":");
        PilotLink.Joining link = PilotLink.join(
                a[1].equals(TOKEN_FROM_ENV) ? System.getenv(TOKEN_VARIABLE) : Files.readString(Path.of(a[1])));
        String block = a[2];
        int workers = workers(Integer.parseInt(a[3]), Double.parseDouble(a[4]), Double.parseDouble(a[5]));
        long period = Long.parseLong(a[6]);
        long threshold = Long.parseLong(a[7]);
        Path workDir = Files.createDirectories(Path.of(a[8]));
        MpiLauncher mpi = a.length > 9 && a[9].equals("srun") ? MpiLauncher.srun() : MpiLauncher.localMpiexec();
        Socket socket = link.sockets().createSocket(hostPort[0], Integer.parseInt(hostPort[1]));
        socket.setTcpNoDelay(true);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        ManagerMain m = new ManagerMain(out);
        m.send(new PilotMessage.Register(
                link.token(),
                block,
                InetAddress.getLocalHost().getHostName(),
                ProcessHandle.current().pid(),
                workers));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> m.trySend(new PilotMessage.Ending(
                        "the manager of block " + block + " got SIGTERM: its batch job is ending"))));
        try (ThreadEngine engine = new ThreadEngine(workers, workDir, mpi, m::started)) {
            engine.reportOutput(chunks -> chunks.forEach(m.output::offer));
            engine.start();
            Thread.ofVirtual().start(() -> m.sendLoop(period, threshold, socket));
            m.readLoop(in, engine);
        }
        System.exit(0);
    }

    /** Workers on this node: {@code max_workers_per_node}, fewer if cores or memory per worker say so. */
    static int workers(int maxPerNode, double coresPerWorker, double memPerWorkerGb) {
        int n = maxPerNode > 0 ? maxPerNode : Integer.MAX_VALUE;
        if (coresPerWorker > 0) {
            n = Math.min(n, Math.max(1, (int) Math.floor(Runtime.getRuntime().availableProcessors() / coresPerWorker)));
        }
        if (memPerWorkerGb > 0) {
            long total = ((com.sun.management.OperatingSystemMXBean)
                            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
            n = Math.min(n, Math.max(1, (int) Math.floor(total / (memPerWorkerGb * (1L << 30)))));
        }
        return n == Integer.MAX_VALUE ? Runtime.getRuntime().availableProcessors() : n;
    }

    private void started(TaskId task) {
        started.add(task);
    }

    private void readLoop(DataInputStream in, ThreadEngine engine) {
        Map<FunctionId, FunctionDoc> functions = new HashMap<>();
        try {
            for (PilotMessage msg; (msg = Frames.read(in, PilotMessage.class)) != null; ) {
                lastHeardMs = clock.millis();
                switch (msg) {
                    case PilotMessage.Work w -> {
                        w.functions().forEach(f -> functions.put(f.functionUuid(), f));
                        for (TaskMessage t : w.tasks()) {
                            engine.submit(t, functions.get(t.function()), results::add);
                        }
                    }
                    case PilotMessage.Cancel c -> c.tasks().forEach(engine::cancel);
                    default -> {}
                }
            }
        } catch (IOException e) {
            System.err.println("gantry manager: lost the interchange: " + e.getMessage());
        }
    }

    /** Sends results and starts as they come, in batches; heartbeats when idle; exits if the interchange is silent. */
    private void sendLoop(long periodMs, long thresholdMs, Socket socket) {
        long lastSent = clock.millis();
        try {
            while (!socket.isClosed()) {
                TaskResult first = results.poll(Math.min(periodMs, 200), TimeUnit.MILLISECONDS);
                List<TaskResult> batch = new ArrayList<>();
                if (first != null) {
                    batch.add(first);
                    results.drainTo(batch, 4095);
                }
                List<TaskId> begun = new ArrayList<>();
                started.drainTo(begun);
                List<OutputChunk> written = new ArrayList<>();
                output.drainTo(written);
                long now = clock.millis();
                if (!batch.isEmpty() || !begun.isEmpty() || !written.isEmpty()) {
                    send(new PilotMessage.Results(batch, begun, written));
                    lastSent = now;
                } else if (now - lastSent >= periodMs) {
                    send(new PilotMessage.Heartbeat());
                    lastSent = now;
                }
                if (now - lastHeardMs > thresholdMs) {
                    System.err.println(
                            "gantry manager: the interchange was silent for " + thresholdMs + " ms; exiting");
                    Runtime.getRuntime().halt(3);
                }
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("gantry manager: cannot reach the interchange (" + e.getMessage() + "); exiting");
            Runtime.getRuntime().halt(3);
        }
    }

    private void send(PilotMessage m) throws IOException {
        synchronized (out) {
            Frames.write(out, m);
        }
    }

    private void trySend(PilotMessage m) {
        try {
            send(m);
        } catch (IOException e) {
            // the interchange is gone already
        }
    }
}
