package dev.gantry.engines;

import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.TaskRunner;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Runs tasks on a fixed pool of threads in the endpoint's JVM. */
public final class ThreadEngine implements Engine {
    private final int workers;
    private final TaskRunner runner;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private ExecutorService pool;

    public ThreadEngine(int workers, Path workDir) {
        this.workers = workers;
        this.runner = new TaskRunner(workDir);
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
        pool.execute(() -> {
            queued.decrementAndGet();
            running.incrementAndGet();
            try {
                onDone.accept(runner.run(task, function));
            } finally {
                running.decrementAndGet();
            }
        });
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
