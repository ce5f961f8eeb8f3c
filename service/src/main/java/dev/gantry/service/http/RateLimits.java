package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (an identity, a source address): each holds up to {@code burst} requests and refills at
 * {@code perSecond}; a request that finds its bucket empty is refused with how long to wait. At most
 * {@link #MAX_KEYS} buckets are kept: past that, the full ones (whose keys have been quiet) are dropped.
 */
final class RateLimits {
    static final int MAX_KEYS = 100_000;
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanos;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();

    private record Bucket(double tokens, long atNanos) {}

    /** What a request over its limit gets: 429 {@code RATE_LIMITED}, and {@code Retry-After} in seconds. */
    static final class Refused extends GantryException {
        private final long retryAfterSeconds;

        Refused(String message, long retryAfterSeconds) {
            super(ApiError.RATE_LIMITED, message + "; try again in " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    RateLimits(double perSecond, int burst, LongSupplier nanos) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanos = nanos;
    }

    /** Takes one request from {@code key}'s bucket, or refuses it with {@code why}. */
    void admit(Object key, String why) {
        long wait = take(key);
        if (wait > 0) {
            throw new Refused(why, wait);
        }
    }

    /** Whether {@code key}'s bucket is empty now (taking nothing). */
    boolean exhausted(Object key) {
        Bucket b = buckets.get(key);
        return b != null && refilled(b, nanos.getAsLong()) < 1;
    }

    /** Takes one from {@code key}'s bucket: 0 if there was one, else the seconds until there is one. */
    long take(Object key) {
        if (buckets.size() >= MAX_KEYS) {
            long now = nanos.getAsLong();
            buckets.values().removeIf(b -> refilled(b, now) >= burst);
        }
        long now = nanos.getAsLong();
        long[] wait = {0};
        buckets.compute(key, (k, b) -> {
            double tokens = b == null ? burst : refilled(b, now);
            if (tokens >= 1) {
                return new Bucket(tokens - 1, now);
            }
            wait[0] = Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
            return new Bucket(tokens, now);
        });
        return wait[0];
    }

    private double refilled(Bucket b, long now) {
        return Math.min(burst, b.tokens() + (now - b.atNanos()) / 1e9 * perSecond);
    }
}
