package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.it.fixtures.FaultFns;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.sdk.TaskExecutionFailed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pilot engine on a real single-node Slurm (started by {@code .ci/slurm-up}): blocks are sbatch jobs whose
 * srun step starts a manager JVM. Scaling from zero and back, and {@code scancel} of a busy block.
 */
class SlurmPilotTest {
    static GantryProcesses gantry;
    static GantryHome.Credentials creds;

    @BeforeAll
    static void start() throws Exception {
        requireSlurm();
        gantry = new GantryProcesses();
        creds = gantry.startService("service.log");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gantry != null) {
            gantry.close();
        }
    }

    /** Slurm must be up: in CI a missing Slurm fails the test with what is missing; elsewhere it skips. */
    static void requireSlurm() throws Exception {
        String why = null;
        try {
            Process p = new ProcessBuilder("sinfo", "-h", "-o", "%T")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(20, TimeUnit.SECONDS)
                    || p.exitValue() != 0
                    || !out.matches("(?s).*(idle|mixed|allocated).*")) {
                why = "sinfo shows no usable node: '" + out + "'";
            }
        } catch (java.io.IOException e) {
            why = "Slurm's commands are not installed (sinfo: " + e.getMessage() + ")";
        }
        if (why != null) {
            String msg = "this test needs a running Slurm (.ci/slurm-up, as root, starts one): " + why;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }

    @AfterEach
    void cancelLeftoverBlocks() throws Exception {
        for (String job : gantryJobs(false)) {
            new ProcessBuilder("scancel", job).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** Job ids of Gantry's blocks that Slurm lists (running and pending only, or with ended ones too). */
    static List<String> gantryJobs(boolean running) throws Exception {
        Process p = new ProcessBuilder("squeue", "-h", "-o", "%i %j %t").start();
        List<String> out = new ArrayList<>();
        for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 3 && f[1].startsWith("gantry-") && (!running || f[2].equals("R"))) {
                out.add(f[0]);
            }
        }
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    /** An endpoint whose engine is the pilot on Slurm: up to {@code maxBlocks} one-node blocks, two workers each. */
    static EndpointId pilotEndpoint(String name, int retries, int maxBlocks) throws Exception {
        gantry.configureEndpoint(name, "thread", 2, 1.0);
        Path config = gantry.home.resolve("endpoints/" + name + "/config.yaml");
        Files.writeString(config, """
                heartbeat_period: 1
                engine:
                  type: pilot
                  max_workers_per_node: 2
                  max_retries_on_system_failure: %d
                  heartbeat_period: 1
                  heartbeat_threshold: 4
                  min_blocks: 0
                  max_blocks: %d
                  max_idletime: 3
                  strategy_period: 0.5
                  provider:
                    type: slurm
                    partition: debug
                    exclusive: false
                    cores_per_node: 1
                    walltime: "00:10:00"
                    launcher:
                      type: srun
                """.formatted(retries, maxBlocks));
        gantry.start(name + ".log", "endpoint", "start", name);
        return gantry.endpointId(name + ".log", Duration.ofSeconds(60));
    }

    static List<ComputeFuture<String>> submit(ComputeExecutor ex, Path dir, int n, long ms) {
        List<ComputeFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(ex.submit(FaultFns.MARK, dir.toString(), ms));
        }
        return futures;
    }

    @Test
    void threeHundredTasksScaleOutFromZeroToTwoBlocksAndBackToZero() throws Exception {
        EndpointId id = pilotEndpoint("slurm-scale", 1, 2);
        Path dir = Files.createDirectories(gantry.home.resolve("marks-scale"));
        assertThat(gantryJobs(false)).as("no block before any task").isEmpty();
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(Client.of(creds))
                .endpointId(id)
                .build()) {
            List<ComputeFuture<String>> futures = submit(ex, dir, 300, 100);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> gantryJobs(true).size() == 2);
            // the endpoint's status report names its blocks, their Slurm job ids and states
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> gantry.run("endpoint", "status", "slurm-scale")
                                    .lines()
                                    .filter(l -> l.matches("block-\\d+\\s+\\d+\\s+running"))
                                    .count()
                            == 2);
            for (ComputeFuture<String> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(f.taskId().toString());
            }
            // the first task waited for the blocks to start (Slurm takes over a second): its history says so
            java.util.Map<String, Double> times =
                    Client.of(creds).getTask(futures.get(0).taskId()).details().taskTransitions();
            assertThat(times).containsKeys("waiting-for-launch", "waiting-for-nodes", "running", "success");
            assertThat(times.get("waiting-for-nodes")).isLessThanOrEqualTo(times.get("running"));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> gantryJobs(false).isEmpty());
        }
    }

    @Test
    void scancelOfABusyBlockRetriesItsTasksAndWithoutRetriesFailsThemWithBlockEnded() throws Exception {
        Client client = Client.of(creds);
        for (int retries : new int[] {1, 0}) {
            cancelLeftoverBlocks(); // the last round's idle block must not be the one cancelled
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> gantryJobs(false).isEmpty());
            // one block at a time: once a task has started, the running block is busy for sure
            EndpointId id = pilotEndpoint("slurm-scancel-" + retries, retries, 1);
            Path dir = Files.createDirectories(gantry.home.resolve("marks-scancel-" + retries));
            try (ComputeExecutor ex =
                    ComputeExecutor.builder().client(client).endpointId(id).build()) {
                // without retries, tasks longer than Slurm's KillWait (5 s): those on the cancelled block cannot finish
                // there whether its manager dies at the SIGTERM or only at the SIGKILL (a 100 ms one once did)
                int n = retries == 1 ? 300 : 6;
                List<ComputeFuture<String>> futures = submit(ex, dir, n, retries == 1 ? 100 : 6_000);
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !gantryJobs(true).isEmpty() && Files.exists(dir.resolve("marks")));
                String busy = gantryJobs(true).get(0);
                new ProcessBuilder("scancel", busy).start().waitFor(20, TimeUnit.SECONDS);
                int ok = 0;
                int blockEnded = 0;
                for (ComputeFuture<String> f : futures) {
                    try {
                        assertThat(f.get(180, TimeUnit.SECONDS))
                                .isEqualTo(f.taskId().toString());
                        ok++;
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(TaskExecutionFailed.class);
                        assertThat(((TaskExecutionFailed) e.getCause()).code()).isEqualTo(FailureCode.BLOCK_ENDED);
                        blockEnded++;
                    }
                }
                if (retries == 1) {
                    assertThat(ok).as("with a retry every task succeeds, once").isEqualTo(n);
                } else {
                    assertThat(blockEnded)
                            .as("without retries the cancelled block's tasks fail")
                            .isPositive();
                    assertThat(ok + blockEnded).isEqualTo(n);
                }
            }
        }
    }
}
