package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.it.fixtures.ItFns;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.service.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two service instances as OS processes on one PostgreSQL and one RabbitMQ. The endpoint dials instance A
 * (B is its second URL); the SDK submits through B and reads B's stream. Instance A is killed with
 * {@code kill -9} in the middle of 2,000 tasks: the endpoint moves to B and every result arrives once.
 */
class MultiInstanceProductionTest {
    static final int TASKS = 2000;

    @Test
    void anEndpointOnAServesAClientOnBAndSurvivesTheDeathOfA() throws Exception {
        assertThat(TestBackend.production())
                .as("this test needs PostgreSQL and RabbitMQ: it runs in Maven's"
                        + " production-backends execution (mvn verify), not alone with -Dtest")
                .isTrue();
        try (GantryProcesses g = new GantryProcesses()) {
            Path homeA = Files.createDirectories(g.home.resolve("a"));
            Path homeB = Files.createDirectories(g.home.resolve("b"));
            Process a = g.startIn(homeA, "a.log", "service", "start", "--port", "0");
            String urlA = g.await("a.log", "listening on (https?://\\S+)", Duration.ofSeconds(60));
            // one deployment, one certificate: B serves the pair A made for itself
            Path tls = homeA.resolve("service/tls");
            g.startIn(
                    homeB,
                    "b.log",
                    "service",
                    "start",
                    "--port",
                    "0",
                    "--tls-self-signed",
                    "false",
                    "--tls-cert",
                    tls.resolve("cert.pem").toString(),
                    "--tls-key",
                    tls.resolve("key.pem").toString());
            String urlB = g.await("b.log", "listening on (https?://\\S+)", Duration.ofSeconds(60));

            g.run("endpoint", "configure", "multi", "--engine", "thread", "--max-workers", "2");
            Path config = g.home.resolve("endpoints/multi/config.yaml");
            Files.writeString(
                    config,
                    Files.readString(config).replace("heartbeat_period: 30", "heartbeat_period: 1") + "service_urls: ["
                            + urlA + ", " + urlB + "]\n");
            Files.copy(homeA.resolve("credentials.json"), g.home.resolve("credentials.json"));
            g.start("endpoint.log", "endpoint", "start", "multi");
            EndpointId id = EndpointId.of(g.await("endpoint.log", ">>> Endpoint ID: (\\S+)", Duration.ofSeconds(60)));
            g.await("a.log", "endpoint " + id + " connected", Duration.ofSeconds(10));

            GantryHome.Credentials b = new GantryHome(homeB).readCredentials().orElseThrow();
            GantryHome.Credentials onB = new GantryHome.Credentials(
                    b.serviceUrl(), b.token(), tls.resolve("cert.pem").toString());
            Client client = Client.of(onB);
            List<ComputeFuture<Integer>> futures = new ArrayList<>();
            try (ComputeExecutor ex =
                    ComputeExecutor.builder().client(client).endpointId(id).build()) {
                for (int i = 0; i < TASKS; i++) {
                    futures.add(ex.submit(ItFns.SLEEPY, i, 2L));
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> futures.stream().filter(f -> f.isDone()).count() >= 300);
                long doneBeforeKill = futures.stream().filter(f -> f.isDone()).count();
                a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                System.out.printf("killed instance A after %d of %d results%n", doneBeforeKill, TASKS);
                assertThat(doneBeforeKill).as("A died in the middle of the run").isLessThan(TASKS);

                g.await("b.log", "endpoint " + id + " connected", Duration.ofSeconds(30));
                for (int i = 0; i < TASKS; i++) {
                    assertThat(futures.get(i).get(120, TimeUnit.SECONDS)).isEqualTo(i);
                }
            }
            List<TaskId> ids = futures.stream().map(ComputeFuture::taskId).toList();
            Map<TaskId, TaskStatus> stored = new java.util.HashMap<>();
            for (int i = 0; i < ids.size(); i += 500) {
                stored.putAll(client.getBatchResult(ids.subList(i, Math.min(ids.size(), i + 500))));
            }
            assertThat(stored).hasSize(TASKS);
            assertThat(stored.values()).allMatch(s -> s.status().equals("success"));
            assertThat(stored.values().stream().map(TaskStatus::result).distinct())
                    .hasSize(TASKS);
        }
    }
}
