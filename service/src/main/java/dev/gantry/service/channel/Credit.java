package dev.gantry.service.channel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * An endpoint's credit: how many tasks it may hold at once (0 while it drains before stopping, or cannot keep its
 * audit log), and a wait for some of it to be free.
 */
final class Credit {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private volatile int credit;

    Credit(int credit) {
        this.credit = Math.max(0, credit);
    }

    /** The endpoint said its credit. */
    void set(int newCredit) {
        credit = Math.max(0, newCredit);
        freed();
    }

    /** Some credit may be free: waiters look again. */
    void freed() {
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many more tasks the endpoint may be sent with {@code inFlight} out (0 or less: none). */
    int free(int inFlight) {
        return credit - inFlight;
    }

    /** {@link #free}, waiting up to {@code waitMs} for credit to be freed if none is. */
    int await(IntSupplier inFlight, long waitMs) throws InterruptedException {
        lock.lock();
        try {
            int free = free(inFlight.getAsInt());
            if (free <= 0) {
                freed.await(waitMs, TimeUnit.MILLISECONDS);
                free = free(inFlight.getAsInt());
            }
            return free;
        } finally {
            lock.unlock();
        }
    }
}
