package dev.gantry.worker;

import dev.gantry.protocol.TaskEnv;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.channel.TaskMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where and as what one task runs: its sandbox directory ({@code <work dir>/<task id>}, created on first use),
 * its resources, its output, and the processes it started, so that a task that overstays its timeout can be stopped
 * with everything it spawned.
 */
public final class TaskContext {
    private final TaskMessage message;
    private final TaskId task;
    private final Path sandbox;
    private final ResourceSpec resources;
    private final MpiLauncher mpi;
    private final OutputBuffer output;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile boolean aborted;
    private volatile boolean cancelled;

    TaskContext(TaskMessage message, Path workDir, MpiLauncher mpi, OutputBuffer output) {
        this.message = message;
        this.output = output;
        this.task = message.task();
        this.sandbox = workDir.resolve(task.toString());
        this.resources = message.resources();
        this.mpi = mpi;
    }

    /** The task as the endpoint received it. */
    TaskMessage message() {
        return message;
    }

    /** Where what the task writes goes (its threads' prints, its processes' output). */
    OutputBuffer output() {
        return output;
    }

    TaskId task() {
        return task;
    }

    ResourceSpec resources() {
        return resources;
    }

    MpiLauncher mpi() {
        return mpi;
    }

    /** The task's own directory, created if needed. */
    Path sandbox() {
        try {
            return Files.createDirectories(sandbox);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the task's sandbox " + sandbox, e);
        }
    }

    /** The variables every task sees (Gantry's names and Globus Compute's). */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(TaskEnv.TASK_ID, task.toString());
        env.put(TaskEnv.SANDBOX_DIR, sandbox.toString());
        env.put("GC_TASK_UUID", task.toString());
        env.put("GC_TASK_SANDBOX_DIR", sandbox.toString());
        return env;
    }

    /**
     * What a Python function sees besides {@link #environment()}: for a task with a resource specification,
     * the MPI launcher's variables ({@code PARSL_MPI_PREFIX}, ...), as Globus Compute's MPIFunction expects.
     */
    Map<String, String> pythonEnvironment() {
        Map<String, String> env = environment();
        if (resources != null) {
            try {
                env.putAll(mpi.environment(resources));
            } catch (IllegalArgumentException e) {
                throw new PythonFunctions.PythonFailure(e.getMessage());
            }
        }
        return env;
    }

    /** Counts {@code p} as part of this task: it is killed, with its descendants, if the task is aborted. */
    Process track(Process p) {
        processes.add(p);
        if (aborted) {
            kill(p);
        }
        return p;
    }

    void finished(Process p) {
        processes.remove(p);
    }

    void bind(Thread t) {
        thread = t;
    }

    boolean aborted() {
        return aborted;
    }

    /** Stops the task because it was cancelled. */
    void cancel() {
        cancelled = true;
        abort();
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Stops the task: kills what it started and interrupts its thread. */
    void abort() {
        aborted = true;
        processes.forEach(TaskContext::kill);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
