package dev.gantry.bench;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.engines.LauncherConfig;
import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.ProviderConfig;
import dev.gantry.engines.pilot.PilotEngine;
import dev.gantry.engines.provider.BlockJob;
import dev.gantry.engines.provider.JobStatus;
import dev.gantry.engines.provider.Provider;
import dev.gantry.engines.provider.ProviderException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * From submit to first result with no block running, on this machine's Slurm (started by {@code .ci/slurm-up}),
 * split into the scheduler's part (from {@code sbatch} to the job script's first line) and Gantry's (the rest:
 * the strategy's reaction, the manager JVM's start and registration, dispatch, the run and the result's way
 * back). Usage: {@code SlurmColdStartBench [rounds=5]}.
 */
public final class SlurmColdStartBench {
    private SlurmColdStartBench() {}

    /** The Slurm provider, noting when each block was handed to sbatch. */
    static final class Timed implements Provider {
        final Provider slurm;
        volatile long lastSubmitNanos;

        Timed(Provider slurm) {
            this.slurm = slurm;
        }

        @Override
        public String type() {
            return slurm.type();
        }

        @Override
        public String submit(BlockJob job) throws ProviderException {
            lastSubmitNanos = System.nanoTime();
            return slurm.submit(job);
        }

        @Override
        public Map<String, JobStatus> status(List<String> jobIds) throws ProviderException {
            return slurm.status(jobIds);
        }

        @Override
        public void cancel(List<String> jobIds) throws ProviderException {
            slurm.cancel(jobIds);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path home = ScratchHome.create("gantry-slurm-bench-");
        Path started = home.resolve("job-started");
        // the job script's first line notes the wall clock; the bench compares it with its own
        ProviderConfig.Slurm slurm = new ProviderConfig.Slurm(
                "debug",
                null,
                null,
                null,
                false,
                1,
                null,
                null,
                null,
                "00:10:00",
                "date +%s%N > " + started,
                null,
                new LauncherConfig.Srun(null));
        PilotConfig cfg =
                new PilotConfig(1, null, null, 0, 1.0, 4.0, null, 0, 0, 1, 1, 1.0, 0.5, 0.1, null, null, slurm);
        Timed provider = new Timed(slurm.create());
        long[] total = new long[rounds];
        long[] scheduler = new long[rounds];
        try (GantryService service = GantryService.start(ServiceConfig.embedded(new GantryHome(home), 0))) {
            EndpointDir dir = EndpointDir.of(new GantryHome(home), "slurm-bench");
            ServiceClient http = ServiceClient.of(service.credentials());
            PilotEngine engine = new PilotEngine(cfg, dir.tasksDir(), provider);
            try (EndpointAgent ep = new EndpointAgent(dir, new EndpointConfig("slurm-bench", cfg, 5), http, engine);
                    ComputeExecutor ex = ComputeExecutor.builder()
                            .client(new Client(http))
                            .endpointId(ep.start())
                            .build()) {
                for (int r = -1; r < rounds; r++) {
                    Files.deleteIfExists(started);
                    long t0 = System.nanoTime();
                    long wall0 = System.currentTimeMillis() * 1_000_000L;
                    NoOp.submit(ex, r).join();
                    long t1 = System.nanoTime();
                    long jobStartNanos =
                            Long.parseLong(Files.readString(started).strip()) - wall0 + t0;
                    if (r >= 0) { // round -1 warms up the service, the SDK and the function's first shipment
                        total[r] = t1 - t0;
                        scheduler[r] = jobStartNanos - provider.lastSubmitNanos;
                    }
                    while (!engine.status().blocks().isEmpty()) { // the block goes after max_idletime (0.5 s)
                        Thread.sleep(100);
                    }
                }
            }
        }
        long[] gantry = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            gantry[i] = total[i] - scheduler[i];
        }
        Arrays.sort(total);
        Arrays.sort(scheduler);
        Arrays.sort(gantry);
        System.out.printf(
                "Slurm, no block running, %d rounds (median): submit to first result %.2f s; sbatch to job start"
                        + " %.2f s (the scheduler); the rest %.2f s (Gantry: strategy period 0.1 s, manager JVM start, run,"
                        + " result)%n",
                rounds, total[rounds / 2] / 1e9, scheduler[rounds / 2] / 1e9, gantry[rounds / 2] / 1e9);
    }
}
