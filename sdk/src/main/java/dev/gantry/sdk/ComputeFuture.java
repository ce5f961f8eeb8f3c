package dev.gantry.sdk;

import dev.gantry.protocol.TaskId;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The future result of a task. Its task id is known once the batch it went in was accepted by the service.
 * {@link #cancel} cancels the task itself: a task not sent yet is never sent, a queued one never runs, a
 * running one is stopped on its endpoint; the future completes with a {@code CancellationException} at once.
 */
public final class ComputeFuture<T> extends CompletableFuture<T> {
    private volatile TaskId taskId;
    private volatile Consumer<TaskId> canceller;

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
