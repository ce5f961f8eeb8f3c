package dev.gantry.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskGroupId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancelling tasks from their futures, and re-attaching to a task group from another executor. */
class CancelAndReloadTest {
    static InProcessGantry gantry;

    @BeforeAll
    static void start() throws Exception {
        gantry = new InProcessGantry();
    }

    @AfterAll
    static void stop() throws Exception {
        gantry.close();
    }

    @Test
    void aCancelledRunningShellTaskHasItsProcessKilledAndEndsCancelled() throws Exception {
        Path pidFile = Files.createTempFile(gantry.home, "pid", "");
        try (ComputeExecutor ex = gantry.executor()) {
            ComputeFuture<ShellResult> f = ex.submit(new ShellFunction("echo $$ > " + pidFile + "; exec sleep 60"));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(pidFile) > 0);
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            long start = System.nanoTime();
            assertThat(f.cancel(true)).isTrue();
            await().atMost(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
            System.out.printf(
                    "cancelled shell task's process gone %d ms after cancel%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThatThrownBy(() -> f.get(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> gantry.client.getTask(f.taskId()).status().equals("cancelled"));
            assertThat(gantry.client.getTask(f.taskId()).errorCode()).isEqualTo(FailureCode.TASK_CANCELLED);
        }
    }

    @Test
    void aCancelledQueuedTaskNeverRuns() throws Exception {
        Path marker = gantry.home.resolve("ran-" + System.nanoTime());
        try (ComputeExecutor ex = gantry.executor()) {
            List<ComputeFuture<ShellResult>> blockers = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // the test endpoint has 4 workers
                blockers.add(ex.submit(new ShellFunction("sleep 3")));
            }
            ComputeFuture<ShellResult> queued = ex.submit(new ShellFunction("touch " + marker));
            await().atMost(Duration.ofSeconds(10)).until(() -> queued.taskId() != null);
            assertThat(queued.cancel(true)).isTrue();
            for (ComputeFuture<ShellResult> b : blockers) {
                assertThat(b.get(30, TimeUnit.SECONDS).returncode()).isZero();
            }
            // a task submitted after it has run: the cancelled one, queued before it, would have run by now
            assertThat(ex.submit(new ShellFunction("true"))
                            .get(30, TimeUnit.SECONDS)
                            .returncode())
                    .isZero();
            assertThat(marker).as("the cancelled task never ran").doesNotExist();
            assertThat(gantry.client.getTask(queued.taskId()).status()).isEqualTo("cancelled");
        }
    }

    @Test
    void anotherExecutorReloadsEveryTaskOfAGroupDoneOrNot() throws Exception {
        List<Integer> expected = new ArrayList<>();
        try (ComputeExecutor ex = gantry.executor();
                ComputeExecutor later = gantry.executor()) {
            List<ComputeFuture<Integer>> sums = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sums.add(ex.submit(dev.gantry.sdk.fixtures.Fns.ADD, i, 1));
                expected.add(i + 1);
            }
            ComputeFuture<ShellResult> slow = ex.submit(new ShellFunction("sleep 2; echo late"));
            for (ComputeFuture<Integer> f : sums) {
                f.get(30, TimeUnit.SECONDS);
            }
            TaskGroupId group = ex.taskGroupId();
            List<ComputeFuture<Object>> futures = later.reloadTasks(group, Object.class);
            assertThat(futures).hasSize(21);
            assertThat(slow.isDone()).as("reloaded while one task still runs").isFalse();
            List<Object> values = new ArrayList<>();
            for (ComputeFuture<Object> f : futures) {
                values.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(values.subList(0, 20)).containsExactlyElementsOf(expected);
            assertThat(values.get(20).toString()).contains("late");
        }
    }
}
