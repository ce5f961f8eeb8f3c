package dev.gantry.cli.demo;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.Engines;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry demo}: Gantry end to end on the embedded default, in a scratch Gantry home. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the hello example and a Monte Carlo sweep on an embedded service and a local endpoint.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--tasks", description = "Tasks in the sweep (default ${DEFAULT-VALUE}).")
    int tasks = 1000;

    @Option(names = "--samples", description = "Random points per task (default ${DEFAULT-VALUE}).")
    int samples = 200_000;

    @Override
    public Integer call() throws Exception {
        Path home = Files.createTempDirectory("gantry-demo-");
        long t0 = System.nanoTime();
        try (GantryService service = GantryService.start(ServiceConfig.embedded(new GantryHome(home), 0))) {
            EndpointDir dir = EndpointDir.of(new GantryHome(home), "demo");
            int workers = Runtime.getRuntime().availableProcessors();
            EndpointConfig cfg = new EndpointConfig("demo", new EngineConfig.Thread(workers), 2);
            ServiceClient http = ServiceClient.of(service.credentials());
            try (EndpointAgent endpoint =
                    new EndpointAgent(dir, cfg, http, Engines.create(cfg.engine(), dir.tasksDir()))) {
                System.out.printf(
                        "Started the embedded service at %s and endpoint %s (%d workers) in %d ms%n",
                        service.url(), endpoint.start(), workers, (System.nanoTime() - t0) / 1_000_000);
                run(new Client(http), endpoint);
            }
        } finally {
            delete(home);
        }
        System.out.println("Stopped everything cleanly.");
        return 0;
    }

    private void run(Client client, EndpointAgent endpoint) {
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(client)
                .endpointId(endpoint.id())
                .build()) {
            long t = System.nanoTime();
            System.out.println(DemoWorkload.submitHello(ex, "you").join());
            System.out.printf(
                    "  (hello round trip, including registering the function: %.1f ms)%n",
                    (System.nanoTime() - t) / 1e6);
            t = System.nanoTime();
            List<ComputeFuture<Double>> sweep = DemoWorkload.submitSweep(ex, tasks, samples);
            double sum = 0;
            for (ComputeFuture<Double> f : sweep) {
                sum += f.join();
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            double pi = sum / tasks;
            System.out.printf(
                    "Monte Carlo sweep: %d tasks x %,d samples: pi ~ %.6f (error %.2e) in %.2f s" + " (%.0f tasks/s)%n",
                    tasks, samples, pi, Math.abs(pi - Math.PI), seconds, tasks / seconds);
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
