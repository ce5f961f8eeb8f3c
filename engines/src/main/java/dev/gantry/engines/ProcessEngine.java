package dev.gantry.engines;

import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs tasks in a pool of worker JVMs on this host. Each {@link WorkerProcess} takes the next task from a
 * shared queue; a worker that dies fails its task with a reason and is replaced.
 */
public final class ProcessEngine implements Engine {
    record Job(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {}

    private final int workers;
    private final Path workDir;
    private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final List<WorkerProcess> processes = new ArrayList<>();

    public ProcessEngine(int workers, Path workDir) {
        this.workers = workers;
        this.workDir = workDir;
    }

    @Override
    public void start() {
        for (int i = 0; i < workers; i++) {
            WorkerProcess w = new WorkerProcess(i, workDir, jobs, running);
            processes.add(w);
            w.start();
        }
    }

    @Override
    public void submit(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {
        jobs.add(new Job(task, function, onDone));
    }

    @Override
    public int workers() {
        return workers;
    }

    @Override
    public StatusReport status() {
        int busy = running.get();
        return new StatusReport(workers, workers - busy, jobs.size(), jobs.size() + busy, 1, "process");
    }

    @Override
    public void close() {
        processes.forEach(WorkerProcess::close);
    }
}
