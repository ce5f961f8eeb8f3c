package dev.gantry.sdk;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.Engines;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.GantryService;
import dev.gantry.service.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A whole Gantry in this JVM: the embedded service on a free port and a thread-engine endpoint. */
final class InProcessGantry implements AutoCloseable {
    final Path home;
    final TestBackend backend = TestBackend.create();
    final GantryService service;
    final EndpointAgent endpoint;
    final EndpointId endpointId;
    final Client client;

    InProcessGantry() throws IOException {
        home = Files.createTempDirectory("gantry-sdk-");
        service = GantryService.start(backend.config(new GantryHome(home)));
        ServiceClient http = ServiceClient.of(service.credentials());
        EndpointDir dir = EndpointDir.of(new GantryHome(home), "test");
        EndpointConfig cfg = new EndpointConfig("test", new EngineConfig.Thread(4), 1);
        endpoint = new EndpointAgent(dir, cfg, http, Engines.create(cfg.engine(), dir.tasksDir()));
        endpointId = endpoint.start();
        client = new Client(http);
    }

    /** Another endpoint of the same service, started when the test says so. */
    EndpointAgent endpoint(String name) {
        return endpoint(name, null);
    }

    /** Another endpoint that runs only the given kinds of function (all when null). */
    EndpointAgent endpoint(String name, java.util.List<String> allowedSerializers) {
        return endpoint(name, allowedSerializers, null);
    }

    /** ... and only the given functions (all when null). */
    EndpointAgent endpoint(
            String name,
            java.util.List<String> allowedSerializers,
            java.util.List<dev.gantry.protocol.FunctionId> allowedFunctions) {
        ServiceClient http = ServiceClient.of(service.credentials());
        EndpointDir dir = EndpointDir.of(new GantryHome(home), name);
        EndpointConfig cfg = new EndpointConfig(
                name,
                new EngineConfig.Thread(1),
                1,
                null,
                null,
                null,
                allowedSerializers,
                null,
                null,
                allowedFunctions,
                null,
                null,
                null,
                null,
                null,
                false,
                null);
        return new EndpointAgent(dir, cfg, http, Engines.create(cfg.engine(), dir.tasksDir()));
    }

    ComputeExecutor executor() {
        return ComputeExecutor.builder().client(client).endpointId(endpointId).build();
    }

    @Override
    public void close() throws IOException {
        endpoint.close();
        service.close();
        backend.close();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
