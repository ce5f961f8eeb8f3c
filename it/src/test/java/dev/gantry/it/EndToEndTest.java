package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.it.fixtures.ItFns;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gantry as separate OS processes: {@code gantry service start}, {@code gantry endpoint start} with a process
 * engine (worker JVMs), and the SDK in this JVM. Covers results, offline detection after {@code kill -9}
 * of the endpoint, and tasks submitted while it was down.
 */
class EndToEndTest {
    static final double HEARTBEAT_S = 1.0;
    static GantryProcesses gantry;
    static Client client;

    @BeforeAll
    static void start() throws Exception {
        gantry = new GantryProcesses();
        GantryHome.Credentials creds = gantry.startService("service.log", "--port", "0");
        client = Client.of(creds);
        gantry.configureEndpoint("e2e", "process", 2, HEARTBEAT_S);
    }

    @AfterAll
    static void stop() throws Exception {
        gantry.close();
    }

    private static Process startEndpoint(String log) throws Exception {
        Process p = gantry.start(log, "endpoint", "start", "e2e");
        gantry.endpointId(log, Duration.ofSeconds(60));
        return p;
    }

    private static EndpointId endpointId() {
        return EndpointId.of(gantry.await("endpoint-1.log", ">>> Endpoint ID: (\\S+)", Duration.ofSeconds(1)));
    }

    @Test
    void tasksRunInWorkerProcessesSurviveAnEndpointKillAndResumeAfterRestart() throws Exception {
        Process endpoint = startEndpoint("endpoint-1.log");
        EndpointId id = endpointId();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> client.getEndpointStatus(id).status().equals("online"));

        try (ComputeExecutor ex =
                ComputeExecutor.builder().client(client).endpointId(id).build()) {
            List<ComputeFuture<Integer>> squares = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                squares.add(ex.submit(ItFns.SQUARE, i));
            }
            for (int i = 0; i < squares.size(); i++) {
                assertThat(squares.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * i);
            }
            Set<String> workerPids = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                workerPids.add(
                        ex.submit(ItFns.WHERE, i).get(60, TimeUnit.SECONDS).split(":")[0]);
            }
            assertThat(workerPids)
                    .as("tasks ran in worker JVMs, not in the endpoint")
                    .doesNotContain(Long.toString(endpoint.pid()));
            var status = client.getEndpointStatus(id);
            assertThat(status.details().totalWorkers()).isEqualTo(2);
            assertThat(status.details().engineType()).isEqualTo("process");

            endpoint.destroyForcibly();
            long killed = System.nanoTime();
            await().atMost(Duration.ofMillis((long) (2 * HEARTBEAT_S * 1000)))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> client.getEndpointStatus(id).status().equals("offline"));
            System.out.printf("offline %d ms after kill -9%n", (System.nanoTime() - killed) / 1_000_000);

            List<ComputeFuture<Integer>> whileDown = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                whileDown.add(ex.submit(ItFns.SQUARE, 1000 + i));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> whileDown.stream().allMatch(f -> f.taskId() != null));
            assertThat(client.getTask(whileDown.get(0).taskId()).status()).isEqualTo("waiting-for-ep");
            assertThat(whileDown).noneMatch(ComputeFuture::isDone);

            startEndpoint("endpoint-2.log");
            assertThat(gantry.await("endpoint-2.log", ">>> Endpoint ID: (\\S+)", Duration.ofSeconds(1)))
                    .as("the endpoint keeps its id across restarts")
                    .isEqualTo(id.toString());
            for (int i = 0; i < whileDown.size(); i++) {
                assertThat(whileDown.get(i).get(60, TimeUnit.SECONDS)).isEqualTo((1000 + i) * (1000 + i));
            }
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.getEndpointStatus(id).status().equals("online"));
        }
    }
}
