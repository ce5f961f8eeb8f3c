package dev.gantry.engines;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.worker.TaskRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks in a pool of worker JVMs on this host. Each {@link WorkerProcess} takes the next task from a
 * shared queue; a worker that dies fails its task with a reason and is replaced.
 */
public final class ProcessEngine implements Engine {
    /** A task for the pool; {@code runningOn} is the worker that took it, {@code cancelled} set by a cancel. */
    static final class PoolTask {
        final TaskMessage task;
        final FunctionDoc function;
        final Consumer<TaskResult> onDone;
        volatile WorkerProcess runningOn;
        volatile boolean cancelled;

        PoolTask(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {
            this.task = task;
            this.function = function;
            this.onDone = onDone;
        }

        TaskMessage task() {
            return task;
        }

        FunctionDoc function() {
            return function;
        }

        Consumer<TaskResult> onDone() {
            return onDone;
        }
    }

    private final Map<TaskId, PoolTask> byTask = new ConcurrentHashMap<>();

    private final int workers;
    private final Path workDir;
    private final BlockingQueue<PoolTask> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final List<WorkerProcess> processes = new ArrayList<>();

    private volatile Consumer<List<OutputChunk>> output = chunks -> {};

    @Override
    public boolean reportOutput(Consumer<List<OutputChunk>> onOutput) {
        output = onOutput;
        return true;
    }

    public ProcessEngine(int workers, Path workDir) {
        this.workers = workers;
        this.workDir = workDir;
    }

    @Override
    public void start() {
        for (int i = 0; i < workers; i++) {
            WorkerProcess w = new WorkerProcess(i, workDir, queue, running, chunks -> output.accept(chunks));
            processes.add(w);
            w.start();
        }
    }

    @Override
    public void submit(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {
        PoolTask poolTask = new PoolTask(task, function, r -> {
            byTask.remove(task.task());
            onDone.accept(r);
        });
        byTask.put(task.task(), poolTask);
        queue.add(poolTask);
    }

    /** A queued task is taken out of the queue; a running one has its worker JVM killed (and replaced). */
    @Override
    public boolean cancel(TaskId task) {
        PoolTask poolTask = byTask.get(task);
        if (poolTask == null) {
            return false;
        }
        poolTask.cancelled = true;
        if (queue.remove(poolTask)) {
            poolTask.onDone().accept(TaskRunner.cancelled(poolTask.task(), System.currentTimeMillis()));
            return true;
        }
        WorkerProcess w = poolTask.runningOn;
        if (w != null) {
            w.killFor(poolTask);
        }
        return true;
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public StatusReport status() {
        int busy = running.get();
        return new StatusReport(workers, workers - busy, queue.size(), queue.size() + busy, 1, "process");
    }

    @Override
    public void close() {
        processes.forEach(WorkerProcess::close);
    }
}
