package dev.gantry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.ErrorCode;
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
    static final int CAPACITY = 50;
    Broker broker;
    final EndpointId endpoint = EndpointId.random();

    abstract Broker create(int capacityPerEndpoint);

    @BeforeEach
    void open() {
        broker = create(CAPACITY);
    }

    @AfterEach
    void close() {
        broker.close();
    }

    static List<TaskMessage> tasks(int n) {
        TaskGroupId g = TaskGroupId.random();
        FunctionId f = FunctionId.random();
        return IntStream.range(0, n).mapToObj(i -> new TaskMessage(TaskId.random(), g, 1, f, "p" + i)).toList();
    }

    static List<TaskId> ids(List<TaskMessage> m) {
        return m.stream().map(TaskMessage::task).toList();
    }

    @Test
    void deliversInOrderAndAtMostAsManyAsAsked() throws Exception {
        List<TaskMessage> sent = tasks(10);
        broker.publishTasks(endpoint, sent);
        TaskConsumer c = broker.consume(endpoint);
        List<TaskMessage> first = c.poll(4, Duration.ofSeconds(1));
        List<TaskMessage> rest = c.poll(100, Duration.ofSeconds(1));
        assertThat(ids(first)).isEqualTo(ids(sent.subList(0, 4)));
        assertThat(ids(rest)).isEqualTo(ids(sent.subList(4, 10)));
        assertThat(c.poll(10, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void unacknowledgedTasksComeBackWhenTheConsumerGoesAway() throws Exception {
        List<TaskMessage> sent = tasks(6);
        broker.publishTasks(endpoint, sent);
        TaskConsumer c = broker.consume(endpoint);
        List<TaskMessage> got = c.poll(6, Duration.ofSeconds(1));
        c.ack(ids(got.subList(0, 2)));
        c.close();
        assertThat(c.isOpen()).isFalse();
        TaskConsumer again = broker.consume(endpoint);
        assertThat(ids(again.poll(10, Duration.ofSeconds(1)))).isEqualTo(ids(sent.subList(2, 6)));
        assertThat(broker.depth(endpoint)).isEqualTo(4);
    }

    @Test
    void aNewConsumerReplacesTheOldOneAndInheritsItsUnacknowledgedTasks() throws Exception {
        broker.publishTasks(endpoint, tasks(3));
        TaskConsumer old = broker.consume(endpoint);
        List<TaskMessage> got = old.poll(3, Duration.ofSeconds(1));
        TaskConsumer fresh = broker.consume(endpoint);
        assertThat(old.isOpen()).isFalse();
        assertThat(ids(fresh.poll(3, Duration.ofSeconds(1)))).isEqualTo(ids(got));
        old.ack(ids(got));
        assertThat(broker.depth(endpoint)).as("a replaced consumer's acks change nothing").isEqualTo(3);
    }

    @Test
    void aFullQueueRefusesTheWholeBatch() {
        broker.publishTasks(endpoint, tasks(CAPACITY - 5));
        assertThatThrownBy(() -> broker.publishTasks(endpoint, tasks(10)))
                .isInstanceOfSatisfying(BrokerException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_QUEUE_FULL));
        assertThat(broker.depth(endpoint)).isEqualTo(CAPACITY - 5);
    }

    @Test
    void pollWaitsForTasksPublishedLater() throws Exception {
        TaskConsumer c = broker.consume(endpoint);
        List<TaskMessage> sent = tasks(2);
        Thread.ofVirtual().start(() -> broker.publishTasks(endpoint, sent));
        List<TaskMessage> got = new ArrayList<>();
        for (int i = 0; i < 20 && got.size() < 2; i++) {
            got.addAll(c.poll(2, Duration.ofMillis(250)));
        }
        assertThat(ids(got)).isEqualTo(ids(sent));
    }

    @Test
    void resultsReachEverySubscriberOfTheirGroupOnly() throws Exception {
        TaskGroupId mine = TaskGroupId.random();
        List<TaskStatus> a = new CopyOnWriteArrayList<>();
        List<TaskStatus> b = new CopyOnWriteArrayList<>();
        AutoCloseable subA = broker.subscribeResults(mine, a::addAll);
        broker.subscribeResults(TaskGroupId.random(), b::addAll);
        TaskStatus s = new TaskStatus(TaskId.random(), "success", false, "11\n1", null, "1.0", null, null, mine, null);
        broker.publishResults(mine, List.of(s));
        assertThat(a).containsExactly(s);
        assertThat(b).isEmpty();
        subA.close();
        broker.publishResults(mine, List.of(s));
        assertThat(a).hasSize(1);
    }
}
