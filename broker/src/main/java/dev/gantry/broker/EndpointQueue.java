package dev.gantry.broker;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** One endpoint's queue in {@link InProcessBroker}: ready tasks, delivered-but-unacknowledged tasks, a bound. */
final class EndpointQueue {
    private final EndpointId endpoint;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Delivery> queued = new ArrayDeque<>();
    private final LinkedHashMap<TaskId, TaskMessage> unacked = new LinkedHashMap<>();
    private Consumer consumer;

    EndpointQueue(EndpointId endpoint, int capacity) {
        this.endpoint = endpoint;
        this.capacity = capacity;
    }

    void offer(List<TaskMessage> tasks, boolean again) {
        lock.lock();
        try {
            if (queued.size() + unacked.size() + tasks.size() > capacity) {
                throw new BrokerException(
                        ApiError.ENDPOINT_QUEUE_FULL,
                        "endpoint " + endpoint + " has "
                                + (queued.size() + unacked.size()) + " tasks queued, the limit is " + capacity
                                + "; submit again when it has worked through some");
            }
            tasks.forEach(t -> queued.add(new Delivery(t, again)));
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long depth() {
        lock.lock();
        try {
            return queued.size() + unacked.size();
        } finally {
            lock.unlock();
        }
    }

    TaskConsumer openConsumer() {
        lock.lock();
        try {
            if (consumer != null) {
                release(consumer);
            }
            consumer = new Consumer();
            return consumer;
        } finally {
            lock.unlock();
        }
    }

    void closeConsumer() {
        lock.lock();
        try {
            if (consumer != null) {
                release(consumer);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Returns the consumer's unacknowledged tasks to the front of the queue, in their order. Holds the lock. */
    private void release(Consumer c) {
        c.open = false;
        if (consumer == c) {
            List<TaskMessage> back = new ArrayList<>(unacked.values());
            unacked.clear();
            for (int i = back.size() - 1; i >= 0; i--) {
                queued.addFirst(new Delivery(back.get(i), true));
            }
            consumer = null;
        }
        ready.signalAll();
    }

    private final class Consumer implements TaskConsumer {
        private volatile boolean open = true;

        @Override
        public List<Delivery> poll(int max, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            lock.lock();
            try {
                while (open && queued.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return List.of();
                    }
                    ready.await(left, TimeUnit.NANOSECONDS);
                }
                if (!open) {
                    return List.of();
                }
                int n = Math.min(max, queued.size());
                List<Delivery> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    Delivery d = queued.poll();
                    unacked.put(d.task().task(), d.task());
                    out.add(d);
                }
                return out;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void ack(Collection<TaskId> tasks) {
            lock.lock();
            try {
                if (consumer == this) {
                    tasks.forEach(unacked::remove);
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                release(this);
            } finally {
                lock.unlock();
            }
        }
    }
}
