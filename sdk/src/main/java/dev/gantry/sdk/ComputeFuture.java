package dev.gantry.sdk;

import dev.gantry.protocol.TaskId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The future result of a task. Its task id is known once the batch it went in was accepted by the service.
 * {@link #cancel} cancels the task itself: a task not sent yet is never sent, a queued one never runs, a
 * running one is stopped on its endpoint; the future completes with a {@code CancellationException} at once.
 */
public final class ComputeFuture<T> extends CompletableFuture<T> {
    private volatile TaskId taskId;
    private volatile Consumer<TaskId> canceller;

    /** Lines that came before anybody listened, for the first listener. */
    static final int BACKLOG = 1000;

    private final ReentrantLock outputLock = new ReentrantLock();
    private final List<Consumer<String>> outputListeners = new ArrayList<>();
    private final ArrayDeque<String> backlog = new ArrayDeque<>();

    /**
     * Calls {@code lines} with each line the task writes (its standard output and error, without line ends), while
     * it runs, in order; lines that came before the first listener (up to {@value #BACKLOG}) go to it first. Runs
     * on the SDK's stream thread: keep it short. Lines may follow completion by a moment if the service was slow.
     */
    public ComputeFuture<T> onOutput(Consumer<String> lines) {
        outputLock.lock();
        try {
            if (outputListeners.isEmpty()) {
                backlog.forEach(lines);
                backlog.clear();
            }
            outputListeners.add(lines);
        } finally {
            outputLock.unlock();
        }
        return this;
    }

    void output(String line) {
        outputLock.lock();
        try {
            if (outputListeners.isEmpty()) {
                if (backlog.size() == BACKLOG) {
                    backlog.removeFirst();
                }
                backlog.addLast(line);
            }
            for (Consumer<String> l : outputListeners) {
                l.accept(line);
            }
        } finally {
            outputLock.unlock();
        }
    }

    /** The task's id, or null while its batch has not been submitted yet. */
    public TaskId taskId() {
        return taskId;
    }

    void taskId(TaskId id) {
        this.taskId = id;
        if (isCancelled()) {
            cancelRemote(id);
        }
    }

    void canceller(Consumer<TaskId> c) {
        this.canceller = c;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        TaskId id = taskId;
        if (cancelled && id != null) {
            cancelRemote(id);
        }
        return cancelled;
    }

    private void cancelRemote(TaskId id) {
        Consumer<TaskId> c = canceller;
        if (c != null) {
            c.accept(id);
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
