package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.Engines;
import dev.gantry.it.fixtures.ItFns;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskList;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A client over its rate limit (4 requests a second, bursts of 4 here) waits as long as each 429's Retry-After
 * says and sends again: through the SDK every task runs and is stored once, and the calls took as long as the
 * limit makes them.
 */
class RateLimitBackOffTest {
    static final double RATE = 4;
    static final int BURST = 4;

    @Test
    void theSdkWaitsOutTheLimitAndEveryTaskRunsOnce() throws Exception {
        Path home = Files.createTempDirectory("gantry-rate-");
        ServiceConfig base = ServiceConfig.embedded(new GantryHome(home), 0);
        try (GantryService service =
                GantryService.start(base.withSecurity(base.security().withRateLimit(RATE, BURST)))) {
            ServiceClient http = ServiceClient.of(service.credentials());
            EndpointDir dir = EndpointDir.of(new GantryHome(home), "limited");
            EngineConfig engine = new EngineConfig.Thread(2);
            try (EndpointAgent endpoint = new EndpointAgent(
                            dir,
                            new EndpointConfig("limited", engine, 5),
                            http,
                            Engines.create(engine, dir.tasksDir()));
                    ComputeExecutor ex = ComputeExecutor.builder()
                            .client(new Client(http))
                            .endpointId(endpoint.start())
                            .build()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 12; i++) { // one submit each: far more calls than the limit lets through
                    assertThat(ex.submit(ItFns.SQUARE, i).get(60, TimeUnit.SECONDS))
                            .isEqualTo(i * i);
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<TaskList>> lists = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    lists.add(pool.submit(() -> http.get("/v3/tasks?limit=100", TaskList.class)));
                }
                Set<TaskId> ids = new HashSet<>();
                for (Future<TaskList> f : lists) {
                    f.get(120, TimeUnit.SECONDS).tasks().forEach(t -> ids.add(t.taskId()));
                }
                pool.shutdown();
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(ids).as("each task stored once").hasSize(12);
                assertThat(seconds)
                        .as("28+ calls at %s a second after a burst of %d", RATE, BURST)
                        .isGreaterThan((28 - BURST) / RATE * 0.8);
            }
        } finally {
            try (Stream<Path> all = Files.walk(home)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
