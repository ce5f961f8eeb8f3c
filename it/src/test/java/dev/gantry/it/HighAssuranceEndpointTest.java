package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.Engines;
import dev.gantry.it.fixtures.ItFns;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A high-assurance endpoint, in this JVM with the embedded service: its audit log holds every state of every
 * task it runs, and one that cannot be written stops it taking tasks and says why.
 */
class HighAssuranceEndpointTest {
    private Path home;
    private GantryService service;
    private ServiceClient http;

    @BeforeEach
    void start() throws Exception {
        home = Files.createTempDirectory("gantry-ha-");
        service = GantryService.start(ServiceConfig.embedded(new GantryHome(home), 0));
        http = ServiceClient.of(service.credentials());
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
        try (Stream<Path> all = Files.walk(home)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private EndpointAgent endpoint(EndpointDir dir, String extra) throws Exception {
        Files.createDirectories(dir.dir());
        Files.writeString(dir.config(), "engine:\n  type: thread\n  max_workers: 2\nhigh_assurance: true\n" + extra);
        EndpointConfig cfg = EndpointConfig.read(dir.config());
        assertThat(cfg.highAssurance()).isTrue();
        return new EndpointAgent(dir, cfg, http, Engines.create(cfg.engine(), dir.tasksDir()));
    }

    @Test
    void everyStateOfEveryTaskIsInTheOwnerOnlyAuditLog() throws Exception {
        EndpointDir dir = EndpointDir.of(new GantryHome(home), "ha");
        List<ComputeFuture<Integer>> futures = new ArrayList<>();
        try (EndpointAgent ep = endpoint(dir, "");
                ComputeExecutor ex = ComputeExecutor.builder()
                        .client(new Client(http))
                        .endpointId(ep.start())
                        .highAssurance(true)
                        .build()) {
            for (int i = 0; i < 20; i++) {
                futures.add(ex.submit(ItFns.SQUARE, i));
            }
            for (int i = 0; i < 20; i++) {
                assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * i);
            }
            waitFor(() -> events(dir).values().stream().allMatch(e -> e.contains("acknowledged")), "acknowledgements");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.auditLog())))
                .isEqualTo("rw-------");
        Map<String, List<String>> events = events(dir);
        Set<String> tasks = futures.stream().map(f -> f.taskId().toString()).collect(Collectors.toSet());
        assertThat(events.keySet()).isEqualTo(tasks);
        events.values()
                .forEach(e ->
                        assertThat(e).as("in order").containsExactly("received", "running", "success", "acknowledged"));
    }

    @Test
    void anUnwritableAuditLogStopsTheEndpointTakingTasksAndSaysWhy() throws Exception {
        EndpointDir dir = EndpointDir.of(new GantryHome(home), "ha-full");
        Path full = Path.of("/dev/full"); // every write fails: no space left on the device
        try (EndpointAgent ep = endpoint(dir, "audit_log_path: " + full + "\n");
                ComputeExecutor ex = ComputeExecutor.builder()
                        .client(new Client(http))
                        .endpointId(ep.start())
                        .highAssurance(true)
                        .build()) {
            assertThatThrownBy(() -> ex.submit(ItFns.SQUARE, 3).get(60, TimeUnit.SECONDS))
                    .as("a task whose arrival cannot be recorded fails unrun")
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("audit log");
            Client client = new Client(http);
            String why = waitFor(
                    () -> {
                        JsonNode d = Json.mapper()
                                .valueToTree(client.getEndpointStatus(ep.id()))
                                .path("details")
                                .path("not_taking_tasks");
                        return d.isTextual() ? d.asText() : null;
                    },
                    "the status saying why");
            assertThat(why).contains("audit log " + full).contains("restart the endpoint");
            // a dispatcher already waiting for a task when the credit fell to 0 may still send one (its poll
            // lasts up to 500 ms); the endpoint would fail that one unrun too
            Thread.sleep(1000);
            ComputeFuture<Integer> later = ex.submit(ItFns.SQUARE, 4);
            Thread.sleep(2000);
            assertThat(later.isDone()).as("no task is sent to it any more").isFalse();
            assertThat(client.getTask(later.taskId()).pending()).isTrue();
            later.cancel(true); // it would never complete: closing would wait for it
        }
    }

    private static Map<String, List<String>> events(EndpointDir dir) throws Exception {
        Map<String, List<String>> byTask = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.auditLog(), StandardCharsets.UTF_8)) {
            JsonNode e = Json.mapper().readTree(line);
            byTask.computeIfAbsent(e.get("task").asText(), k -> new ArrayList<>())
                    .add(e.get("event").asText());
        }
        return byTask;
    }

    private static <T> T waitFor(java.util.concurrent.Callable<T> value, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            T v = value.call();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + what + " within 30 s");
    }
}
