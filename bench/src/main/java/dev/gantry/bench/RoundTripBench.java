package dev.gantry.bench;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.Engines;
import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.ProviderConfig;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.service.GantryService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * No-op round trip (p50, p99 over sequential tasks) and throughput (tasks/s for a burst) on the embedded
 * default: SDK executor → service (H2, in-process broker) → endpoint (thread, process, or pilot engine:
 * two manager JVMs of {@code workers} each, on the local provider) → back.
 * Usage: {@code RoundTripBench [sequential=1000] [burst=20000] [engine=thread] [workers=2] [mode=both]}, where
 * mode is {@code embedded}, {@code production} (PostgreSQL and RabbitMQ on this machine) or {@code both}.
 */
public final class RoundTripBench {
    private RoundTripBench() {}

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String engine = args.length > 2 ? args[2] : "thread";
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        String mode = args.length > 4 ? args[4] : "both";
        for (String m : mode.equals("both") ? List.of("embedded", "production") : List.of(mode)) {
            try (Backends backends = new Backends(m.equals("production"))) {
                System.out.println("== " + backends.describe());
                run(backends, sequential, burst, engine, workers);
            }
        }
        System.out.printf(
                "engine=%s workers=%d cores=%d java=%s%n",
                engine, workers, Runtime.getRuntime().availableProcessors(), Runtime.version());
    }

    /** Tasks a pilot manager holds beyond its workers: hides the round trip to the interchange. */
    static final int PILOT_PREFETCH = 256;

    private static void run(Backends backends, int sequential, int burst, String engine, int workers) throws Exception {
        Path home = ScratchHome.create("gantry-bench-");
        try (SecureMode secure = new SecureMode();
                GantryService service = GantryService.start(secure.apply(backends.config(new GantryHome(home))))) {
            System.out.println("security: " + secure.describe());
            EndpointDir dir = EndpointDir.of(new GantryHome(home), "bench");
            EngineConfig ec = switch (engine) {
                case "process" -> new EngineConfig.Process(workers);
                // two blocks of one node (two manager JVMs) on the local provider, kept from the start
                case "pilot" ->
                    new PilotConfig(
                            workers,
                            null,
                            null,
                            PILOT_PREFETCH,
                            2.0,
                            10.0,
                            null,
                            2,
                            2,
                            2,
                            1,
                            1.0,
                            120.0,
                            1.0,
                            null,
                            null,
                            new ProviderConfig.Local(null, null));
                default -> new EngineConfig.Thread(workers);
            };
            EndpointConfig cfg = new EndpointConfig("bench", ec, 5);
            ServiceClient http = ServiceClient.of(service.credentials());
            try (EndpointAgent ep = new EndpointAgent(dir, cfg, http, Engines.create(ec, dir.tasksDir()));
                    ComputeExecutor ex = ComputeExecutor.builder()
                            .client(new Client(secure.client(service.credentials())))
                            .endpointId(ep.start())
                            .batchSize(1000)
                            .build()) {
                for (int i = 0; i < 3000; i++) { // warm-up: let the JIT compile the whole path
                    NoOp.submit(ex, i).join();
                }
                roundTrip(ex, sequential);
                throughput(ex, Math.min(burst, 5000));
                throughput(ex, burst);
                backends.forget(ep.id());
            }
        }
    }

    private static void roundTrip(ComputeExecutor ex, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            NoOp.submit(ex, i).join();
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf(
                "round trip over %d sequential no-op tasks: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                n, nanos[n / 2] / 1e6, nanos[(int) (n * 0.99)] / 1e6, nanos[n - 1] / 1e6);
    }

    private static void throughput(ComputeExecutor ex, int n) {
        long t = System.nanoTime();
        List<ComputeFuture<Integer>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(NoOp.submit(ex, i));
        }
        long sum = 0;
        for (ComputeFuture<Integer> f : futures) {
            sum += f.join();
        }
        double s = (System.nanoTime() - t) / 1e9;
        if (sum != (long) n * (n - 1) / 2) {
            throw new IllegalStateException("wrong results: sum " + sum);
        }
        System.out.printf("throughput: %d no-op tasks in %.2f s = %.0f tasks/s%n", n, s, n / s);
    }
}
