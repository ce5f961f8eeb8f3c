package dev.gantry.engines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.ShellCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process engine with real worker JVMs. */
public class ProcessEngineTest {
    @TempDir
    Path work;

    public static FunctionDoc shell(String cmd) {
        return new FunctionDoc(FunctionId.random(), "sh", new ShellCommand(cmd, 0, 5).functionCode(), null, null);
    }

    static TaskResult run(Engine e, FunctionDoc f) throws Exception {
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
        return done.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aWorkerThatDiesFailsItsTaskWithAReasonAndIsReplaced() throws Exception {
        try (ProcessEngine engine = new ProcessEngine(1, work)) {
            engine.start();
            FunctionDoc ok = shell("echo fine");
            assertThat(run(engine, ok).failed()).isFalse();
            TaskResult lost = run(engine, shell("kill -9 $PPID; sleep 5"));
            assertThat(lost.error().code()).isEqualTo(FailureCode.WORKER_LOST);
            assertThat(lost.error().exceptionType()).isEqualTo("WorkerLost");
            assertThat(lost.data()).contains("exited while running the task");
            assertThat(run(engine, ok).failed())
                    .as("a fresh worker takes the next task")
                    .isFalse();
            assertThat(engine.status().totalWorkers()).isEqualTo(1);
        }
    }
}
