package dev.gantry.sdk;

import dev.gantry.protocol.TaskId;
import java.util.concurrent.CompletableFuture;

/** The future result of a task. Its task id is known once the batch it went in was accepted by the service. */
public final class ComputeFuture<T> extends CompletableFuture<T> {
    private volatile TaskId taskId;

    /** The task's id, or null while its batch has not been submitted yet. */
    public TaskId taskId() {
        return taskId;
    }

    void taskId(TaskId id) {
        this.taskId = id;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
