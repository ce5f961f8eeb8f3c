package dev.gantry.bench;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.Engines;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.GantryService;
import java.nio.file.Path;
import java.util.List;

/**
 * Globus Compute's Executor path: dill no-op tasks from Python (bench/gc_executor.py: REST submits of 128, results
 * from the group's AMQP queue) to a process-engine endpoint, on the embedded default (Qpid in the service) or on
 * PostgreSQL and RabbitMQ. Usage: {@code GlobusComputeBench [sequential=500] [burst=20000] [workers=2]
 * [mode=both]}.
 */
public final class GlobusComputeBench {
    private GlobusComputeBench() {}

    public static void main(String[] args) throws Exception {
        String sequential = args.length > 0 ? args[0] : "500";
        String burst = args.length > 1 ? args[1] : "20000";
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String mode = args.length > 3 ? args[3] : "both";
        for (String m : mode.equals("both") ? List.of("embedded", "production") : List.of(mode)) {
            try (Backends backends = new Backends(m.equals("production"))) {
                System.out.println("== " + backends.describe() + ", process engine, " + workers + " workers");
                Path home = ScratchHome.create("gantry-gc-bench-");
                try (GantryService service = GantryService.start(backends.config(new GantryHome(home)))) {
                    EndpointDir dir = EndpointDir.of(new GantryHome(home), "bench");
                    EngineConfig ec = new EngineConfig.Process(workers);
                    EndpointConfig cfg = new EndpointConfig("bench", ec, 5);
                    ServiceClient http = ServiceClient.of(service.credentials());
                    try (EndpointAgent ep = new EndpointAgent(dir, cfg, http, Engines.create(ec, dir.tasksDir()))) {
                        Process p = new ProcessBuilder(
                                        "/usr/bin/python3",
                                        "bench/gc_executor.py",
                                        service.url(),
                                        service.credentials().token(),
                                        ep.start().toString(),
                                        sequential,
                                        burst)
                                .inheritIO()
                                .start();
                        if (p.waitFor() != 0) {
                            throw new IllegalStateException("gc_executor.py failed (exit " + p.exitValue() + ")");
                        }
                        backends.forget(ep.id());
                    }
                }
            }
        }
    }
}
