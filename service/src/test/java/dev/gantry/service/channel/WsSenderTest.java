package dev.gantry.service.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A peer that stops reading is closed as soon as its queue is full; no sender waits on it. */
class WsSenderTest {
    /** A socket whose writes block until released, as a peer's that does not read. */
    static final class StuckSocket implements WsSender.Target {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> closes = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "stuck";
        }

        @Override
        public void send(String frame) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sent.add(frame);
        }

        @Override
        public void close(int status, String reason) {
            closes.add(status + " " + reason);
        }
    }

    @Test
    void aFullQueueClosesThePeerAtOnceAndNothingWaits() {
        StuckSocket socket = new StuckSocket();
        WsSender sender = new WsSender(socket, 4, "test").start();
        long start = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (sender.send("frame " + i)) {
                accepted++;
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(accepted).as("one in the socket's write, four queued").isBetween(4, 5);
        assertThat(socket.closes).containsExactly("1008 too slow");
        assertThat(sender.send("after")).isFalse();
        socket.release.countDown();
        sender.close();
    }
}
