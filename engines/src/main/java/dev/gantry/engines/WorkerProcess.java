package dev.gantry.engines;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.LogKeys;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.Frames;
import dev.gantry.worker.TaskRunner;
import dev.gantry.worker.WorkerMain;
import dev.gantry.worker.WorkerReply;
import dev.gantry.worker.WorkerRequest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One worker JVM and the virtual thread that feeds it tasks; restarts the JVM when it dies. */
final class WorkerProcess {
    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-engine-timeouts");
        t.setDaemon(true);
        return t;
    });

    private final int index;
    private final Duration timeout = TaskRunner.timeoutFromEnvironment();
    private final Path workDir;
    private final BlockingQueue<ProcessEngine.PoolTask> queue;
    private final AtomicInteger running;
    private final Consumer<List<OutputChunk>> output;
    private volatile boolean open = true;
    private volatile Process process;
    private DataOutputStream toWorker;
    private DataInputStream fromWorker;
    private final Set<FunctionId> functionsSent = new HashSet<>();
    private Thread driver;

    WorkerProcess(
            int index,
            Path workDir,
            BlockingQueue<ProcessEngine.PoolTask> queue,
            AtomicInteger running,
            Consumer<List<OutputChunk>> output) {
        this.index = index;
        this.output = output;
        this.workDir = workDir;
        this.queue = queue;
        this.running = running;
    }

    void start() {
        driver = Thread.ofVirtual().name("worker-process-" + index).start(this::drive);
    }

    private long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    private void drive() {
        while (open) {
            ProcessEngine.PoolTask poolTask;
            try {
                if (process == null || !process.isAlive()) {
                    launch();
                }
                poolTask = queue.take();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.error("cannot start worker process {}: {}", index, e.getMessage());
                return;
            }
            running.incrementAndGet();
            poolTask.runningOn = this;
            try (MDC.MDCCloseable m =
                    MDC.putCloseable(LogKeys.TASK, poolTask.task().task().toString())) {
                poolTask.onDone()
                        .accept(
                                poolTask.cancelled
                                        ? TaskRunner.cancelled(poolTask.task(), System.currentTimeMillis())
                                        : run(poolTask));
            } finally {
                poolTask.runningOn = null;
                running.decrementAndGet();
            }
        }
    }

    private TaskResult run(ProcessEngine.PoolTask poolTask) {
        long started = System.currentTimeMillis();
        AtomicBoolean killed = new AtomicBoolean();
        ScheduledFuture<?> hardStop = timeout == null
                ? null
                : TIMERS.schedule(
                        () -> {
                            killed.set(true);
                            log.warn(
                                    "task {} ignored its timeout; killing worker process {}",
                                    poolTask.task().task(),
                                    pid());
                            kill();
                        },
                        timeout.plus(ThreadEngine.GRACE).toMillis(),
                        TimeUnit.MILLISECONDS);
        try {
            boolean first = functionsSent.add(poolTask.function().functionUuid());
            Frames.write(toWorker, new WorkerRequest.Run(poolTask.task(), first ? poolTask.function() : null));
            TaskResult r = WorkerReply.readResult(fromWorker, output);
            if (r != null) {
                return r;
            }
        } catch (IOException | RuntimeException e) {
            log.debug("worker process {} failed: {}", index, e.toString());
        } finally {
            if (hardStop != null) {
                hardStop.cancel(false);
            }
        }
        if (poolTask.cancelled) {
            kill();
            return TaskRunner.cancelled(poolTask.task(), started);
        }
        if (killed.get()) {
            kill();
            return TaskRunner.timedOut(poolTask.task(), started, timeout);
        }
        String why = "worker process " + pid() + " exited while running the task" + exitCode();
        kill();
        return new TaskResult(
                poolTask.task().task(),
                poolTask.task().attempt(),
                why,
                new TaskResult.Failure(FailureCode.WORKER_LOST, why, "WorkerLost"),
                started,
                System.currentTimeMillis());
    }

    private String exitCode() {
        try {
            Process p = process;
            return p != null && p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)
                    ? " (exit code " + p.exitValue() + ")"
                    : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void launch() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xshare:auto"));
        cmd.addAll(dev.gantry.worker.PythonInterpreter.jvmOptions());
        cmd.addAll(
                List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), workDir.toString()));
        process = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        toWorker = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        fromWorker = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        functionsSent.clear();
    }

    /** Kills this worker (and what it started) if it is still running {@code poolTask}: the poolTask was cancelled. */
    void killFor(ProcessEngine.PoolTask poolTask) {
        if (poolTask.runningOn == this) {
            log.info(
                    "task {} cancelled; killing worker process {}",
                    poolTask.task().task(),
                    pid());
            kill();
        }
    }

    private void kill() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        process = null;
    }

    void close() {
        open = false;
        if (driver != null) {
            driver.interrupt();
        }
        kill();
    }
}
