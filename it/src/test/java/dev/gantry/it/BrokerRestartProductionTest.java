package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.it.fixtures.ItFns;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.service.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ on this machine is restarted (its application stopped and started, which drops every
 * connection) while tasks wait in its queues and while more are submitted: none is lost.
 */
class BrokerRestartProductionTest {

    static void rabbitmqctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Test
    void tasksQueuedOrSubmittedWhileRabbitMqRestartsAllComplete() throws Exception {
        assertThat(TestBackend.production())
                .as("this test needs PostgreSQL and RabbitMQ: it runs in Maven's"
                        + " production-backends execution (mvn verify), not alone with -Dtest")
                .isTrue();
        try (GantryProcesses g = new GantryProcesses()) {
            g.start("service.log", "service", "start", "--port", "0", "--housekeeping-seconds", "1");
            g.await("service.log", "listening on (https?://\\S+)", Duration.ofSeconds(60));
            g.run("endpoint", "configure", "rr", "--engine", "thread", "--max-workers", "2");
            Path config = g.home.resolve("endpoints/rr/config.yaml");
            Files.writeString(config, Files.readString(config).replace("heartbeat_period: 30", "heartbeat_period: 1"));
            Process endpoint = g.start("endpoint-1.log", "endpoint", "start", "rr");
            EndpointId id = EndpointId.of(g.await("endpoint-1.log", ">>> Endpoint ID: (\\S+)", Duration.ofSeconds(60)));
            endpoint.destroyForcibly().waitFor();

            GantryHome.Credentials creds =
                    new GantryHome(g.home).readCredentials().orElseThrow();
            Client client = Client.of(creds);
            List<ComputeFuture<Integer>> futures = new ArrayList<>();
            try (ComputeExecutor ex =
                    ComputeExecutor.builder().client(client).endpointId(id).build()) {
                for (int i = 0; i < 300; i++) {
                    futures.add(ex.submit(ItFns.SQUARE, i));
                }
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> futures.stream().allMatch(f -> f.taskId() != null));
                boolean stopped = false;
                try {
                    rabbitmqctl("stop_app");
                    stopped = true;
                    for (int i = 300; i < 400; i++) {
                        futures.add(ex.submit(ItFns.SQUARE, i));
                    }
                    org.awaitility.Awaitility.await()
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> futures.stream().allMatch(f -> f.taskId() != null || f.isDone()));
                } finally {
                    if (stopped) {
                        rabbitmqctl("start_app");
                        rabbitmqctl("await_startup");
                    }
                }
                long restarted = System.nanoTime();
                g.start("endpoint-2.log", "endpoint", "start", "rr");
                long ended = 0;
                long wrong = 0;
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        wrong += futures.get(i).get(120, TimeUnit.SECONDS) == i * i ? 0 : 1;
                        ended++;
                    } catch (Exception e) {
                        // counted as lost below
                    }
                }
                FaultLedger.record(
                        "R7 RabbitMQ stopped and started (stop_app/start_app) with 300 tasks queued and 100"
                                + " submitted while it is down",
                        futures.size(),
                        ended,
                        futures.size() - ended,
                        wrong,
                        0,
                        "all done " + (System.nanoTime() - restarted) / 1_000_000 + " ms after the endpoint came back");
                assertThat(ended).isEqualTo(futures.size());
                assertThat(wrong).isZero();
            }
            assertThat(Files.readString(g.home.resolve("service.log"))).contains("stored but not queued");
        }
    }
}
