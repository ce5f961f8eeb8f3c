package dev.gantry.engines;

import dev.gantry.protocol.LogKeys;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.OutputPump;
import dev.gantry.worker.TaskRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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

/** Runs tasks on a fixed pool of threads in the endpoint's JVM. */
public final class ThreadEngine implements Engine {
    static final Duration GRACE = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ThreadEngine.class);
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "thread-engine-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final int workers;
    private final TaskRunner runner;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    /** Tasks not yet done, each with its run-once completion. */
    private final Map<TaskId, RunningTask> byId = new ConcurrentHashMap<>();

    private record RunningTask(TaskMessage task, Consumer<TaskResult> once) {}

    private ExecutorService pool;

    private final Consumer<TaskId> onStart;
    private volatile Consumer<List<OutputChunk>> output = chunks -> {};

    public ThreadEngine(int workers, Path workDir) {
        this(workers, workDir, dev.gantry.worker.MpiLauncher.localMpiexec(), t -> {});
    }

    /** An engine whose MPI tasks start through {@code mpi}, telling {@code onStart} when each task starts. */
    public ThreadEngine(int workers, Path workDir, dev.gantry.worker.MpiLauncher mpi, Consumer<TaskId> onStart) {
        this.workers = workers;
        this.runner = new TaskRunner(
                workDir, TaskRunner.timeoutFromEnvironment(), mpi, new OutputPump(chunks -> output.accept(chunks)));
        this.onStart = onStart;
    }

    @Override
    public boolean reportOutput(Consumer<List<OutputChunk>> onOutput) {
        output = onOutput;
        return true;
    }

    @Override
    public void start() {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void submit(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {
        queued.incrementAndGet();
        AtomicBoolean done = new AtomicBoolean();
        Consumer<TaskResult> once = r -> {
            if (done.compareAndSet(false, true)) {
                onDone.accept(r);
            }
        };
        byId.put(task.task(), new RunningTask(task, once));
        pool.execute(() -> {
            queued.decrementAndGet();
            if (done.get()) {
                byId.remove(task.task());
                return; // cancelled while queued
            }
            running.incrementAndGet();
            onStart.accept(task.task());
            ScheduledFuture<?> hardStop = hardStop(task, once);
            try (MDC.MDCCloseable m = MDC.putCloseable(LogKeys.TASK, task.task().toString())) {
                once.accept(runner.run(task, function));
            } finally {
                if (hardStop != null) {
                    hardStop.cancel(false);
                }
                byId.remove(task.task());
                running.decrementAndGet();
            }
        });
    }

    @Override
    public boolean cancel(TaskId task) {
        RunningTask runningTask = byId.get(task);
        if (runningTask == null) {
            return false;
        }
        if (!runner.cancel(task)) {
            runningTask.once().accept(TaskRunner.cancelled(runningTask.task(), System.currentTimeMillis()));
        }
        return true;
    }

    /**
     * With a task timeout, the runner interrupts the task and kills what it started; Java code that ignores
     * the interrupt cannot be stopped on a thread, so its task is failed anyway a little later and the thread
     * is left to finish (the process engine kills such a task's JVM instead).
     */
    private ScheduledFuture<?> hardStop(TaskMessage task, Consumer<TaskResult> once) {
        if (runner.timeout() == null) {
            return null;
        }
        long started = System.currentTimeMillis();
        return TIMERS.schedule(
                () -> {
                    log.warn(
                            "task {} ignored its timeout's interrupt; it is failed, and its thread stays busy until it"
                                    + " returns",
                            task.task());
                    once.accept(TaskRunner.timedOut(task, started, runner.timeout()));
                },
                runner.timeout().plus(GRACE).toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public StatusReport status() {
        int busy = running.get();
        return new StatusReport(workers, workers - busy, queued.get(), queued.get() + busy, 1, "thread");
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
