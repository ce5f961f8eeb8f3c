package dev.gantry.engines.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.ProcessEngineTest;
import dev.gantry.engines.ProviderConfig;
import dev.gantry.engines.provider.BatchOptions;
import dev.gantry.engines.provider.CommandRunner;
import dev.gantry.engines.provider.LocalCommandRunner;
import dev.gantry.engines.provider.PbsProProvider;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pilot engine on PBS Pro, against a FAKE scheduler: PBS is not packaged for this machine, so fake
 * {@code qsub}/{@code qstat}/{@code qdel} scripts (src/test/resources/fake-pbs) run each job script on this
 * host and answer in PBS's formats, as PSI/J's tests do.
 */
class PilotEngineFakePbsTest {
    @TempDir
    Path home;

    Path bin;

    @BeforeEach
    void fakeScheduler() throws Exception {
        bin = Files.createDirectories(home.resolve("fake-pbs"));
        for (String cmd : List.of("qsub", "qstat", "qdel")) {
            Path f = Files.copy(Path.of("src/test/resources/fake-pbs", cmd), bin.resolve(cmd));
            f.toFile().setExecutable(true);
        }
    }

    /** Runs the fake scheduler's commands by their path in {@code bin}. */
    CommandRunner fakePbs() {
        LocalCommandRunner local = new LocalCommandRunner();
        return (argv, stdin, timeout) -> {
            List<String> a = new ArrayList<>(argv);
            a.set(0, bin.resolve(argv.get(0)).toString());
            return local.run(a, stdin, timeout);
        };
    }

    PilotEngine engine(String queue) {
        PilotConfig cfg = new PilotConfig(
                2,
                null,
                null,
                0,
                0.5,
                2.0,
                null,
                0,
                0,
                1,
                1,
                1.0,
                2.0,
                0.2,
                null,
                "work",
                new ProviderConfig.Local(null, null));
        PbsProProvider pbs = new PbsProProvider(
                new PbsProProvider.Options(
                        queue, "proj", null, 2, new BatchOptions("00:05:00", null, "export FAKE_PBS_INIT=1", 10)),
                fakePbs());
        return new PilotEngine(cfg, home.resolve("tasks"), pbs);
    }

    @Test
    void blocksAreFakePbsJobsThatRunTasksAndEndWhenIdle() throws Exception {
        try (PilotEngine engine = engine("workq")) {
            engine.start();
            FunctionDoc env = ProcessEngineTest.shell("echo init=$FAKE_PBS_INIT");
            List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(PilotEngineLocalProviderTest.submit(engine, env));
            }
            for (CompletableFuture<TaskResult> f : futures) {
                TaskResult r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.failed()).as(r.data()).isFalse();
                assertThat(r.data())
                        .as("worker_init ran in the job before the manager")
                        .contains("init=1");
                assertThat(home.resolve("work"))
                        .as("working_dir, relative to the endpoint's directory")
                        .isDirectory();
            }
            assertThat(engine.status().blocks()).singleElement().satisfies(b -> {
                assertThat(b.state()).isEqualTo("running");
                assertThat(b.jobId()).contains(".fakepbs");
            });
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> engine.status().blocks().isEmpty());
        }
    }

    @Test
    void qdelOfABusyBlockFailsItsTasksWithBlockEnded() throws Exception {
        try (PilotEngine engine = engine("workq")) {
            engine.start();
            CompletableFuture<TaskResult> task =
                    PilotEngineLocalProviderTest.submit(engine, ProcessEngineTest.shell("sleep 30"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.status().idleWorkers() < engine.status().totalWorkers());
            String job = engine.status().blocks().get(0).jobId();
            assertThat(new LocalCommandRunner()
                            .run(List.of(bin.resolve("qdel").toString(), job), null, Duration.ofSeconds(10))
                            .ok())
                    .isTrue();
            TaskResult r = task.get(30, TimeUnit.SECONDS);
            assertThat(r.error().code()).as(r.data()).isEqualTo(FailureCode.BLOCK_ENDED);
        }
    }

    @Test
    void aQueueThatRefusesJobsFailsTheQueuedTasksWithTheSchedulersWordsAfterThreeTries() throws Exception {
        try (PilotEngine engine = engine("refuse")) {
            engine.start();
            CompletableFuture<TaskResult> task =
                    PilotEngineLocalProviderTest.submit(engine, ProcessEngineTest.shell("true"));
            TaskResult r = task.get(60, TimeUnit.SECONDS);
            assertThat(r.error().code()).isEqualTo(FailureCode.PROVIDER_ERROR);
            assertThat(r.data()).contains("qsub refused the block: qsub: Unknown queue");
            assertThat(Files.readAllLines(bin.resolve("state/calls")))
                    .as("three tries, backing off: no storm")
                    .hasSize(3);
        }
    }
}
