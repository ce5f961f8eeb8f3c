package dev.gantry.sdk.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One function over many inputs with at most {@code window} tasks outstanding at once: a submit waits for a
 * free slot, so a long input list never puts more in flight (or in memory as pending submits) than that. The
 * first failure stops it: tasks not submitted yet never are, the ones outstanding are cancelled.
 */
public final class BoundedMap {
    private BoundedMap() {}

    public static <A, R> List<R> run(Iterable<A> inputs, int window, Function<A, ? extends CompletableFuture<R>> submit)
            throws InterruptedException, ExecutionException {
        List<CompletableFuture<R>> all = new ArrayList<>();
        Semaphore slots = new Semaphore(window);
        AtomicReference<CompletableFuture<R>> failed = new AtomicReference<>();
        try {
            for (A a : inputs) {
                slots.acquire();
                if (failed.get() != null) {
                    break;
                }
                CompletableFuture<R> f = submit.apply(a);
                all.add(f);
                f.whenComplete((r, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, f);
                    }
                    slots.release();
                });
            }
            if (failed.get() != null) {
                failed.get().get(); // throws its failure
            }
            List<R> out = new ArrayList<>(all.size());
            for (CompletableFuture<R> f : all) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException | ExecutionException | RuntimeException e) {
            all.forEach(f -> f.cancel(true));
            throw e;
        }
    }
}
