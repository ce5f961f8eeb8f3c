package dev.gantry.engines.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.ProcessEngineTest;
import dev.gantry.engines.ProviderConfig;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Arguments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pilot engine with the local provider: real block scripts and manager JVMs on this host. */
class PilotEngineLocalProviderTest {
    @TempDir
    Path home;

    static PilotConfig config(int maxBlocks, double maxIdle) {
        return new PilotConfig(
                2,
                null,
                null,
                0,
                0.5,
                2.0,
                null,
                0,
                0,
                maxBlocks,
                1,
                1.0,
                maxIdle,
                0.2,
                null,
                null,
                new ProviderConfig.Local(null, null));
    }

    static CompletableFuture<TaskResult> submit(PilotEngine e, FunctionDoc f) {
        CompletableFuture<TaskResult> done = new CompletableFuture<>();
        e.submit(
                new TaskMessage(
                        TaskId.random(),
                        TaskGroupId.random(),
                        1,
                        f.functionUuid(),
                        Arguments.of(List.of()).pack()),
                f,
                done::complete);
        return done;
    }

    /** The manager JVMs of local blocks: java processes under this one (block scripts are its children). */
    static List<ProcessHandle> managers(Path home) {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .toList();
    }

    @Test
    void whatATaskWritesOnAManagerComesBackBeforeItsResult() throws Exception {
        try (PilotEngine engine = new PilotEngine(config(1, 30.0), home.resolve("tasks"))) {
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            assertThat(engine.reportOutput(chunks -> chunks.forEach(c -> events.add(c.text()))))
                    .isTrue();
            engine.start();
            TaskResult r = submit(engine, ProcessEngineTest.shell("echo first; sleep 0.6; echo second >&2"))
                    .whenComplete((x, e) -> events.add("result"))
                    .get(60, TimeUnit.SECONDS);
            assertThat(r.failed()).as(r.data()).isFalse();
            assertThat(String.join("", events)).isEqualTo("first\nsecond\nresult");
            assertThat(events)
                    .as("written while it ran, in more than one piece")
                    .hasSizeGreaterThan(2);
        }
    }

    @Test
    void scalesOutFromZeroToTwoBlocksRunsEveryTaskOnceAndScalesBackToZero() throws Exception {
        Path work = home.resolve("tasks");
        try (PilotEngine engine = new PilotEngine(config(2, 2.0), work)) {
            java.util.Set<TaskId> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
            assertThat(engine.reportStarts(started::add)).isTrue();
            engine.start();
            assertThat(engine.status().blocks()).isEmpty();
            FunctionDoc echo = ProcessEngineTest.shell("echo $GANTRY_TASK_ID");
            List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                futures.add(submit(engine, echo));
            }
            assertThat(started)
                    .as("nothing starts before a block's manager takes it")
                    .isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.status().managers() == 2);
            for (CompletableFuture<TaskResult> f : futures) {
                TaskResult r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.failed()).as(r.data()).isFalse();
            }
            assertThat(engine.status().blocks()).hasSize(2);
            assertThat(started)
                    .as("each task's start was reported by its manager")
                    .hasSize(60);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> engine.status().blocks().isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> managers(home).isEmpty());
        }
    }

    @Test
    void aManagerKilledMidTaskFailsItsTasksWithWorkerLostAndOneEndingItsJobWithBlockEnded() throws Exception {
        try (PilotEngine engine = new PilotEngine(config(1, 60.0), home.resolve("tasks"))) {
            engine.start();
            FunctionDoc sleep = ProcessEngineTest.shell("sleep 30");
            CompletableFuture<TaskResult> first = submit(engine, sleep);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.status().idleWorkers() < engine.status().totalWorkers());
            Optional<ProcessHandle> manager = managers(home).stream().findFirst();
            assertThat(manager).isPresent();
            manager.get().destroyForcibly();
            TaskResult lost = first.get(30, TimeUnit.SECONDS);
            assertThat(lost.error().code()).as(lost.data()).isIn(FailureCode.WORKER_LOST, FailureCode.BLOCK_ENDED);

            // the block's job ended with its manager; a new block takes the next task, and SIGTERM (what a
            // scheduler sends when it cancels a job) makes the manager say its block is ending
            CompletableFuture<TaskResult> second = submit(engine, sleep);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> managers(home).size() == 1
                            && engine.status().idleWorkers() < engine.status().totalWorkers());
            managers(home).get(0).destroy();
            TaskResult ended = second.get(30, TimeUnit.SECONDS);
            assertThat(ended.error().code()).as(ended.data()).isEqualTo(FailureCode.BLOCK_ENDED);
            assertThat(ended.data()).contains("SIGTERM");
        }
    }

    @Test
    void aManagerSilentPastTheHeartbeatThresholdIsLostAndItsTaskFailsWithWorkerLost() throws Exception {
        try (PilotEngine engine = new PilotEngine(config(1, 60.0), home.resolve("tasks"))) {
            engine.start();
            CompletableFuture<TaskResult> task = submit(engine, ProcessEngineTest.shell("sleep 30"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.status().idleWorkers() < engine.status().totalWorkers());
            ProcessHandle manager = managers(home).get(0);
            // a frozen node: the process stops answering but its connection stays open (no FIN, no RST)
            new ProcessBuilder("kill", "-STOP", Long.toString(manager.pid()))
                    .start()
                    .waitFor();
            try {
                long stopped = System.nanoTime();
                TaskResult r = task.get(30, TimeUnit.SECONDS);
                assertThat(r.error().code()).as(r.data()).isEqualTo(FailureCode.WORKER_LOST);
                assertThat(r.data()).contains("no heartbeat");
                assertThat(Duration.ofNanos(System.nanoTime() - stopped))
                        .as("threshold 2 s")
                        .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
            } finally {
                manager.destroyForcibly();
            }
        }
    }

    @Test
    void workersPerNodeFollowCoresAndMemoryPerWorker() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(ManagerMain.workers(3, 0, 0)).isEqualTo(3);
        assertThat(ManagerMain.workers(0, 1, 0)).isEqualTo(cores);
        assertThat(ManagerMain.workers(1000, 0.5, 0)).isEqualTo(cores * 2);
        assertThat(ManagerMain.workers(1000, 0, 1_000_000))
                .as("a worker needs more memory than the node has: one")
                .isEqualTo(1);
    }
}
