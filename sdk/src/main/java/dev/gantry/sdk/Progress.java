package dev.gantry.sdk;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How far a set of futures has come: how many ended, and how ({@code Progress.of(futures)}). A snapshot each call;
 * {@link #await} reports it at an interval until all ended.
 */
public final class Progress {
    private final List<? extends CompletableFuture<?>> futures;

    private Progress(Collection<? extends CompletableFuture<?>> futures) {
        this.futures = List.copyOf(futures);
    }

    public static Progress of(Collection<? extends CompletableFuture<?>> futures) {
        return new Progress(futures);
    }

    public int total() {
        return futures.size();
    }

    /** Futures that completed with a result. */
    public int succeeded() {
        return (int) futures.stream()
                .filter(f -> f.isDone() && !f.isCompletedExceptionally())
                .count();
    }

    /** Futures that completed with a failure (cancelled ones not counted). */
    public int failed() {
        return (int) futures.stream()
                .filter(f -> f.isCompletedExceptionally() && !f.isCancelled())
                .count();
    }

    public int cancelled() {
        return (int) futures.stream().filter(CompletableFuture::isCancelled).count();
    }

    public int pending() {
        return (int) futures.stream().filter(f -> !f.isDone()).count();
    }

    /** The part that ended, 0 to 1 (1 for no futures). */
    public double fraction() {
        return futures.isEmpty() ? 1 : (double) (total() - pending()) / total();
    }

    /**
     * Calls {@code report} with this progress every {@code every} while futures are pending, and once more when all
     * ended; returns then. Interrupting the caller stops it.
     */
    public void await(Duration every, Consumer<Progress> report) throws InterruptedException {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        while (!all.isDone()) {
            report.accept(this);
            try {
                all.get(every.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // a failure is counted, and a timeout is the next report
            } catch (java.util.concurrent.CancellationException e) {
                // one was cancelled: counted too
            }
        }
        report.accept(this);
    }

    /** For example {@code 7/10 ended: 6 succeeded, 1 failed, 3 pending}. */
    @Override
    public String toString() {
        int failed = failed();
        int cancelled = cancelled();
        return (total() - pending()) + "/" + total() + " ended: " + succeeded() + " succeeded"
                + (failed > 0 ? ", " + failed + " failed" : "") + (cancelled > 0 ? ", " + cancelled + " cancelled" : "")
                + ", " + pending() + " pending";
    }
}
