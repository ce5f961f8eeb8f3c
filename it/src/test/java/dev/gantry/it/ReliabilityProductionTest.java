package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.it.fixtures.FaultFns;
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
 * Faults of the production backends on this machine (PostgreSQL and RabbitMQ restarted for real), counted
 * like {@link ReliabilityTest}'s. Runs in Maven's production-backends execution only.
 */
class ReliabilityProductionTest {

    static void requireProduction() {
        assertThat(TestBackend.production())
                .as("this test needs PostgreSQL and RabbitMQ: it runs in Maven's"
                        + " production-backends execution (mvn verify), not alone with -Dtest")
                .isTrue();
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    static String pgVersion() throws Exception {
        try (var dirs = Files.list(Path.of("/etc/postgresql"))) {
            return dirs.map(d -> d.getFileName().toString())
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
    }

    private record Setup(GantryProcesses g, Client client, EndpointId endpoint) {}

    private static Setup start(GantryProcesses g, String name, int workers) throws Exception {
        GantryHome.Credentials creds = g.startService("service.log", "--port", "0", "--housekeeping-seconds", "1");
        g.configureEndpoint(name, "thread", workers, 1);
        g.start("endpoint.log", "endpoint", "start", name);
        return new Setup(g, Client.of(creds), g.endpointId("endpoint.log", Duration.ofSeconds(60)));
    }

    @Test
    void r10_postgresqlRestartedDuringSubmitsLosesAndDuplicatesNothing() throws Exception {
        requireProduction();
        try (GantryProcesses g = new GantryProcesses()) {
            Setup s = start(g, "r10", 4);
            Path dir = Files.createDirectories(g.home.resolve("marks"));
            ComputeExecutor ex = ComputeExecutor.builder()
                    .client(s.client())
                    .endpointId(s.endpoint())
                    .batchSize(5)
                    .maxRetries(3)
                    .build();
            List<ComputeFuture<String>> futures = new ArrayList<>();
            boolean stopped = false;
            long downMs;
            try {
                for (int i = 0; i < 50; i++) {
                    futures.add(ex.submit(FaultFns.MARK, dir.toString(), 20L));
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> futures.stream().allMatch(f -> f.taskId() != null));
                long down = System.nanoTime();
                run("pg_ctlcluster", "--skip-systemctl-redirect", pgVersion(), "main", "stop", "-m", "immediate");
                stopped = true;
                for (int i = 0; i < 50; i++) {
                    futures.add(ex.submit(FaultFns.MARK, dir.toString(), 20L));
                    Thread.sleep(20);
                }
                Thread.sleep(1000);
                run("pg_ctlcluster", "--skip-systemctl-redirect", pgVersion(), "main", "start");
                stopped = false;
                downMs = (System.nanoTime() - down) / 1_000_000;
            } finally {
                if (stopped) {
                    run("pg_ctlcluster", "--skip-systemctl-redirect", pgVersion(), "main", "start");
                }
            }
            long ended = 0;
            long wrong = 0;
            for (ComputeFuture<String> f : futures) {
                try {
                    wrong += f.get(120, TimeUnit.SECONDS).equals(String.valueOf(f.taskId())) ? 0 : 1;
                    ended++;
                } catch (Exception e) {
                    // counted as lost
                }
            }
            int stored = s.client().getTaskGroup(ex.taskGroupId()).tasks().size();
            ex.shutdownNow();
            FaultLedger.record(
                    "R10 PostgreSQL stopped (-m immediate) and started while 50 tasks run and 50 more are"
                            + " submitted",
                    futures.size(),
                    ended,
                    futures.size() - ended,
                    wrong,
                    0,
                    "down " + downMs + " ms; " + stored + " tasks stored for " + futures.size() + " submitted");
            assertThat(ended).isEqualTo(futures.size());
            assertThat(wrong).isZero();
            assertThat(stored).as("retried submits created no duplicates").isEqualTo(futures.size());
        }
    }

    @Test
    void r19_aTaskRunningLongHasNoUnacknowledgedBrokerMessageToBeRedelivered() throws Exception {
        requireProduction();
        try (GantryProcesses g = new GantryProcesses()) {
            Setup s = start(g, "r19", 1);
            Path dir = Files.createDirectories(g.home.resolve("marks"));
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(s.client())
                    .endpointId(s.endpoint())
                    .build()) {
                ComputeFuture<String> longTask = ex.submit(FaultFns.MARK, dir.toString(), 4000L);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("marks")));
                // a task still out after 0.5 s is leased in the database, and its message acknowledged then
                await().atMost(Duration.ofSeconds(3))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> {
                            String queues = run(
                                    "rabbitmqctl", "-q", "list_queues", "name", "messages", "messages_unacknowledged");
                            String line = queues.lines()
                                    .filter(l -> l.contains(s.endpoint().toString()))
                                    .findFirst()
                                    .orElseThrow();
                            String[] cells = line.trim().split("\\s+");
                            assertThat(cells[1]).as("messages ready").isEqualTo("0");
                            assertThat(cells[2])
                                    .as("messages unacknowledged while the task runs")
                                    .isEqualTo("0");
                        });
                assertThat(longTask.isDone())
                        .as("the task was still running when its message was gone")
                        .isFalse();
                assertThat(longTask.get(60, TimeUnit.SECONDS))
                        .isEqualTo(longTask.taskId().toString());
                FaultLedger.record(
                        "R19 a task runs longer than the broker would wait for an acknowledgement",
                        1,
                        1,
                        0,
                        0,
                        0,
                        "its message is acknowledged once its lease is written (0.5 s after dispatch; 0"
                                + " unacknowledged while it runs): the database's lease holds it, so RabbitMQ's"
                                + " consumer_timeout cannot redeliver it");
            }
        }
    }
}
