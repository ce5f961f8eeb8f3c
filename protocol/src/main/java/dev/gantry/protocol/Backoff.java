package dev.gantry.protocol;

import java.util.random.RandomGenerator;

/**
 * The one backoff of every retry loop: {@code firstMs} doubling per attempt up to {@code maxMs}, and with
 * {@code jittered} a wait drawn between half of that and all of it, so that peers that failed together do not
 * retry together. A pure function of the attempt; the caller decides how to wait.
 */
public record Backoff(long firstMs, long maxMs, boolean jittered) {
    public Backoff {
        if (firstMs <= 0 || maxMs < firstMs) {
            throw new IllegalArgumentException("a backoff needs 0 < firstMs <= maxMs, got " + firstMs + ", " + maxMs);
        }
    }

    /** The cap of the wait after the {@code attempt}-th failure in a row (0 or 1: the first). */
    public long capMs(int attempt) {
        long cap = firstMs;
        for (int i = 1; i < attempt && cap < maxMs; i++) {
            cap *= 2;
        }
        return Math.min(cap, maxMs);
    }

    /** How long to wait after the {@code attempt}-th failure in a row. */
    public long delayMs(int attempt, RandomGenerator random) {
        long cap = capMs(attempt);
        return jittered ? random.nextLong(cap / 2, cap + 1) : cap;
    }
}
