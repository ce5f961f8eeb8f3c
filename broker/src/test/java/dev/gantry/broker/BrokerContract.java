package dev.gantry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Broker} adapter must do; one subclass per adapter. */
abstract class BrokerContract {
    static final int CAPACITY = 20;
    Broker broker;
    final EndpointId endpoint = EndpointId.random();

    abstract Broker create(int capacityPerEndpoint);

    /** Removes what the test created in the broker, for adapters that keep state outside this JVM. */
    void cleanUp(Broker b, List<EndpointId> endpoints) {}

    @BeforeEach
    void open() {
        broker = create(CAPACITY);
    }

    @AfterEach
    void close() {
        cleanUp(broker, List.of(endpoint));
        broker.close();
    }

    static List<TaskMessage> tasks(int n) {
        TaskGroupId g = TaskGroupId.random();
        FunctionId f = FunctionId.random();
        return IntStream.range(0, n)
                .mapToObj(i -> new TaskMessage(TaskId.random(), g, 1, f, "p" + i))
                .toList();
    }

    static List<TaskId> ids(List<TaskMessage> m) {
        return m.stream().map(TaskMessage::task).toList();
    }

    static List<TaskId> delivered(List<Delivery> d) {
        return d.stream().map(x -> x.task().task()).toList();
    }

    static List<Delivery> pollAll(TaskConsumer c, int n) throws InterruptedException {
        List<Delivery> got = new ArrayList<>();
        for (int i = 0; i < 40 && got.size() < n; i++) {
            got.addAll(c.poll(n - got.size(), Duration.ofMillis(250)));
        }
        return got;
    }

    @Test
    void deliversInOrderAndAtMostAsManyAsAsked() throws Exception {
        List<TaskMessage> sent = tasks(10);
        broker.publishTasks(endpoint, sent);
        TaskConsumer c = broker.consume(endpoint);
        List<Delivery> first = pollAll(c, 4);
        List<Delivery> rest = pollAll(c, 6);
        assertThat(delivered(first)).isEqualTo(ids(sent.subList(0, 4)));
        assertThat(delivered(rest)).isEqualTo(ids(sent.subList(4, 10)));
        assertThat(first).noneMatch(Delivery::redelivered);
        assertThat(c.poll(10, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void tasksPublishedAgainAreDeliveredMarkedRedelivered() throws Exception {
        List<TaskMessage> fresh = tasks(2);
        List<TaskMessage> again = tasks(2);
        broker.publishTasks(endpoint, fresh);
        broker.publishAgain(endpoint, again);
        List<Delivery> got = pollAll(broker.consume(endpoint), 4);
        assertThat(delivered(got))
                .isEqualTo(java.util.stream.Stream.concat(ids(fresh).stream(), ids(again).stream())
                        .toList());
        assertThat(got).extracting(Delivery::redelivered).containsExactly(false, false, true, true);
    }

    @Test
    void unacknowledgedTasksComeBackMarkedRedeliveredWhenTheConsumerGoesAway() throws Exception {
        List<TaskMessage> a = tasks(3);
        List<TaskMessage> b = tasks(3);
        broker.publishTasks(endpoint, a);
        broker.publishTasks(endpoint, b);
        TaskConsumer c = broker.consume(endpoint);
        List<Delivery> got = pollAll(c, 6);
        c.ack(ids(a));
        c.close();
        assertThat(c.isOpen()).isFalse();
        TaskConsumer again = broker.consume(endpoint);
        List<Delivery> back = pollAll(again, 3);
        assertThat(delivered(back)).isEqualTo(ids(b));
        assertThat(back).allMatch(Delivery::redelivered);
        assertThat(again.poll(10, Duration.ofMillis(100))).isEmpty();
        assertThat(got).hasSize(6);
    }

    @Test
    void aNewConsumerReplacesTheOldOneAndInheritsItsUnacknowledgedTasks() throws Exception {
        broker.publishTasks(endpoint, tasks(3));
        TaskConsumer old = broker.consume(endpoint);
        List<Delivery> got = pollAll(old, 3);
        TaskConsumer fresh = broker.consume(endpoint);
        assertThat(old.isOpen()).isFalse();
        List<Delivery> again = pollAll(fresh, 3);
        assertThat(delivered(again)).isEqualTo(delivered(got));
        assertThat(again).allMatch(Delivery::redelivered);
    }

    @Test
    void aFullQueueRefusesFurtherTasks() {
        assertThatThrownBy(() -> {
                    for (int i = 0; i <= CAPACITY; i++) {
                        broker.publishTasks(endpoint, tasks(1));
                    }
                })
                .isInstanceOfSatisfying(
                        BrokerException.class, e -> assertThat(e.code()).isEqualTo(ApiError.ENDPOINT_QUEUE_FULL));
        assertThat(broker.depth(endpoint)).isEqualTo(CAPACITY);
    }

    @Test
    void pollWaitsForTasksPublishedLater() throws Exception {
        TaskConsumer c = broker.consume(endpoint);
        List<TaskMessage> sent = tasks(2);
        Thread.ofVirtual().start(() -> broker.publishTasks(endpoint, sent));
        assertThat(delivered(pollAll(c, 2))).isEqualTo(ids(sent));
    }

    @Test
    void resultsReachEverySubscriberOfTheirGroupOnly() throws Exception {
        TaskGroupId mine = TaskGroupId.random();
        TaskGroupId other = TaskGroupId.random();
        List<TaskStatus> a = new CopyOnWriteArrayList<>();
        List<TaskStatus> a2 = new CopyOnWriteArrayList<>();
        List<TaskStatus> b = new CopyOnWriteArrayList<>();
        AutoCloseable subA = broker.subscribeResults(mine, a::addAll);
        broker.subscribeResults(mine, a2::addAll);
        broker.subscribeResults(other, b::addAll);
        TaskStatus s = status(mine);
        broker.publishResults(mine, List.of(s));
        await().atMost(Duration.ofSeconds(5)).until(() -> a.size() == 1 && a2.size() == 1);
        assertThat(a).containsExactly(s);
        subA.close();
        broker.publishResults(mine, List.of(status(mine)));
        broker.publishResults(other, List.of(status(other)));
        await().atMost(Duration.ofSeconds(5)).until(() -> b.size() == 1 && a2.size() == 2);
        assertThat(a).as("an unsubscribed watcher hears nothing more").hasSize(1);
        assertThat(b.get(0).taskGroupId()).isEqualTo(other);
    }

    static TaskStatus status(TaskGroupId g) {
        return new TaskStatus(TaskId.random(), "success", false, "11\n1", null, "1.000", null, null, g, null);
    }
}
