package dev.gantry.service.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.broker.InProcessBroker;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.service.store.TaskOutputs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay between endpoints' output frames and the tasks' watchers, with nothing stored and a watcher the test
 * holds up: a result waits for its task's output (and nothing else waits), and a full queue keeps the newest.
 */
class OutputRelayTest {
    static final int CHUNK = 64 * 1024;
    final InProcessBroker broker = new InProcessBroker(100);
    final OutputRelay relay = new OutputRelay(new TaskOutputs(null, 0), null, broker, Clock.systemUTC());
    final FakePeer peer = new FakePeer();
    final TaskGroupId group = TaskGroupId.random();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<OutputChunk> watched = new CopyOnWriteArrayList<>();
    final CountDownLatch held = new CountDownLatch(1);

    @AfterEach
    void close() {
        held.countDown();
        relay.close();
        broker.close();
    }

    /** A watcher that takes the first batch, then holds the relay until the test lets it go. */
    void watch() throws Exception {
        broker.subscribeOutput(group, chunks -> {
            watched.addAll(chunks);
            events.add("output " + chunks.size());
            try {
                held.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        relay.start();
    }

    TaskId task() {
        TaskId t = TaskId.random();
        peer.groups.put(t, group);
        return t;
    }

    /** {@code n} frames of one 64 KiB chunk of {@code task}'s output, in order. */
    List<List<OutputChunk>> frames(TaskId task, int n) {
        List<List<OutputChunk>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(List.of(new OutputChunk(task, 1, (long) i * CHUNK, CHUNK, "x".repeat(CHUNK))));
        }
        return out;
    }

    @Test
    void aResultIsAnnouncedAfterItsTasksOutputAndOtherResultsDoNotWait() throws Exception {
        watch();
        TaskId chatty = task();
        relay.offer(peer, frames(chatty, 1).get(0));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("output 1"));
        relay.offer(peer, frames(chatty, 2).get(1));
        relay.afterRelayed(List.of(chatty), () -> events.add("chatty's result"));
        relay.afterRelayed(List.of(task()), () -> events.add("quiet result"));
        assertThat(events).containsExactly("output 1", "quiet result");
        held.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 4);
        assertThat(events).containsExactly("output 1", "quiet result", "output 1", "chatty's result");
    }

    @Test
    void aFullQueueDropsItsOldestFramesAndKeepsATasksLastWords() throws Exception {
        watch();
        TaskId chatty = task();
        List<List<OutputChunk>> frames = frames(chatty, 2 + (int) (OutputRelay.MAX_QUEUED_BYTES / CHUNK) + 10);
        relay.offer(peer, frames.get(0));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("output 1"));
        frames.subList(1, frames.size()).forEach(f -> relay.offer(peer, f));
        held.countDown();
        OutputChunk last = frames.get(frames.size() - 1).get(0);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watched.contains(last));
        assertThat(relay.dropped()).as("frames dropped").isEqualTo(11);
        assertThat(watched.get(1).offset())
                .as("the oldest waiting were dropped, the first in hand was not")
                .isEqualTo(12L * CHUNK);
        assertThat(watched).hasSize(frames.size() - 11);
    }

    @Test
    void withoutItsThreadAndAfterCloseNothingWaits() {
        TaskId t = task();
        relay.offer(peer, frames(t, 1).get(0));
        relay.afterRelayed(List.of(t), () -> events.add("not started"));
        relay.close();
        relay.afterRelayed(List.of(t), () -> events.add("closed"));
        assertThat(events).containsExactly("not started", "closed");
    }
}
