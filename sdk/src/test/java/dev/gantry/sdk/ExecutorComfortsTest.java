package dev.gantry.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.sdk.fixtures.Chatter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code map} with a bounded window, {@link Progress}, a task's lines on its future, and the offline notice. */
class ExecutorComfortsTest {
    static InProcessGantry gantry;

    @BeforeAll
    static void start() throws Exception {
        gantry = new InProcessGantry();
    }

    @AfterAll
    static void stop() throws Exception {
        gantry.close();
    }

    @Test
    void mapReturnsResultsInOrderWithNoMoreThanTheWindowOutstanding() throws Exception {
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(gantry.client)
                .endpointId(gantry.endpointId)
                .maxInFlight(3)
                .build()) {
            AtomicInteger most = new AtomicInteger();
            Thread watch = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    most.accumulateAndGet(ex.outstanding(), Math::max);
                    LockSupport.parkNanos(200_000);
                }
            });
            List<Integer> inputs = IntStream.range(0, 20).boxed().toList();
            List<Integer> squares = ex.map(Chatter.SLOW_SQUARE, inputs);
            watch.interrupt();
            assertThat(squares).isEqualTo(inputs.stream().map(x -> x * x).toList());
            // a finished future leaves the executor's count a moment after its slot went to the next input
            assertThat(most.get()).as("outstanding at most").isBetween(1, 4);
        }
    }

    @Test
    void mapStopsAtTheFirstFailure() throws Exception {
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(gantry.client)
                .endpointId(gantry.endpointId)
                .maxInFlight(1)
                .build()) {
            List<Integer> inputs = IntStream.range(0, 50).boxed().toList();
            assertThatThrownBy(() -> ex.map(Chatter.FAILS_ON_FIVE, inputs))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(TaskExecutionFailed.class)
                    .hasMessageContaining("five");
            assertThat(ex.outstanding()).as("nothing left running").isZero();
        }
    }

    @Test
    void progressCountsHowTheFuturesEndedAndReportsUntilAllDid() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            List<ComputeFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(ex.submit(Chatter.FAILS_ON_FIVE, i == 3 ? 5 : 10 + i));
            }
            List<String> reports = new CopyOnWriteArrayList<>();
            Progress p = Progress.of(fs);
            p.await(Duration.ofMillis(20), r -> reports.add(r.toString()));
            assertThat(reports.get(reports.size() - 1)).isEqualTo("8/8 ended: 7 succeeded, 1 failed, 0 pending");
            assertThat(p.fraction()).isEqualTo(1.0);
            assertThat(p.failed()).isEqualTo(1);
        }
    }

    @Test
    void aFutureGetsTheLinesItsTaskWrote() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            List<String> lines = new CopyOnWriteArrayList<>();
            ComputeFuture<Integer> f = ex.submit(Chatter.PRINTS, "hello\nworld").onOutput(lines::add);
            assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(11);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() == 3);
            assertThat(lines).containsExactly("hello", "world", "no line end");
        }
    }

    @Test
    void aSubmitToAnOfflineEndpointSaysSoOnStandardError() throws Exception {
        EndpointAgent gone = gantry.endpoint("gone");
        gone.start();
        gone.close();
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        ComputeExecutor ex = ComputeExecutor.builder()
                .client(gantry.client)
                .endpointId(gone.id())
                .build();
        ComputeFuture<Integer> waiting = ex.submit(Chatter.SLOW_SQUARE, 2);
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> said.toString(StandardCharsets.UTF_8).contains("is offline"));
            assertThat(said.toString(StandardCharsets.UTF_8))
                    .contains("endpoint " + gone.id() + " is offline (")
                    .contains("the tasks wait on the service")
                    .contains("gantry endpoint start");
        } finally {
            System.setErr(err);
            waiting.cancel(true);
            ex.close();
        }
    }
}
