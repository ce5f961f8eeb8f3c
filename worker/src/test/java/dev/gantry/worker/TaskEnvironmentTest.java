package dev.gantry.worker;

import static dev.gantry.worker.TaskRunnerTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaSource;
import dev.gantry.protocol.payload.ShellCommand;
import dev.gantry.protocol.payload.ShellOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a task sees around it: its variables, sandbox, output files, timeout and MPI launcher. */
class TaskEnvironmentTest {
    @TempDir
    Path work;

    private static final String NO_ARGS = Arguments.of(List.of()).pack();

    private static FunctionDoc fn(String code) {
        return new FunctionDoc(FunctionId.random(), "f", code, null, null);
    }

    private static ShellOutcome outcome(TaskResult r) {
        assertThat(r.error()).as(r.data()).isNull();
        return Json.read(r.data().substring(3), ShellOutcome.class);
    }

    @Test
    void aJavaFunctionReadsItsTaskIdAndSandboxThroughTaskEnv() throws Exception {
        String src = "package demo;\npublic class Where {\n  public static String f() throws Exception {\n"
                + "    java.nio.file.Files.writeString(dev.gantry.protocol.TaskEnv.sandboxDir().resolve(\"x\"), \"1\");\n"
                + "    return dev.gantry.protocol.TaskEnv.taskId() + \" \" + dev.gantry.protocol.TaskEnv.get(\"GANTRY_TASK_SANDBOX_DIR\");\n"
                + "  }\n}\n";
        FunctionDoc f = fn(new JavaSource(src, "demo.Where::f").functionCode());
        TaskMessage t = task(f, NO_ARGS);
        TaskResult r = new TaskRunner(work).run(t, f);
        Path sandbox = work.resolve(t.task().toString());
        assertThat(r.data()).isEqualTo("11\n\"" + t.task() + " " + sandbox + "\"");
        assertThat(Files.readString(sandbox.resolve("x"))).isEqualTo("1");
        assertThat(dev.gantry.protocol.TaskEnv.taskId()).as("outside a task").isNull();
    }

    @Test
    void outputFilesAreAppendedAndTheSnippetIsTheirLastLines() throws Exception {
        Path out = work.resolve("logs/run.out");
        Path err = work.resolve("logs/run.err");
        FunctionDoc f =
                fn(new ShellCommand("echo line-$N; echo warn-$N >&2", 0, 1, out.toString(), err.toString(), false)
                        .functionCode());
        TaskRunner runner = new TaskRunner(work);
        runner.run(task(f, Arguments.of(List.of(), java.util.Map.of()).pack()), f);
        FunctionDoc g = fn(new ShellCommand("echo second; echo again >&2", 0, 1, out.toString(), err.toString(), false)
                .functionCode());
        ShellOutcome second = outcome(runner.run(task(g, NO_ARGS), g));
        assertThat(second.stdout()).isEqualTo("second\n");
        assertThat(second.stderr()).isEqualTo("again\n");
        assertThat(Files.readAllLines(out)).containsExactly("line-", "second");
        assertThat(Files.readAllLines(err)).containsExactly("warn-", "again");
    }

    @Test
    void aTaskPastTheTimeoutFailsWithTaskTimeoutAndItsProcessesAreGone() throws Exception {
        TaskRunner runner = new TaskRunner(work, Duration.ofMillis(400), MpiLauncher.localMpiexec());
        FunctionDoc sh = fn(new ShellCommand("echo $$ > pid; sleep 30", 0, 5).functionCode());
        TaskMessage t = task(sh, NO_ARGS);
        long start = System.nanoTime();
        TaskResult r = runner.run(t, sh);
        assertThat(r.error().code()).isEqualTo(FailureCode.TASK_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long pid =
                Long.parseLong(Files.readString(work.resolve(t.task() + "/pid")).strip());
        // SIGKILL is delivered at once, but the kernel may take a moment to reap the process
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        FunctionDoc java = fn(new JavaSource(
                        "public class Slow {\n  public static int f() throws Exception {\n"
                                + "    Thread.sleep(30000);\n    return 1;\n  }\n}\n",
                        "Slow::f")
                .functionCode());
        assertThat(runner.run(task(java, NO_ARGS), java).error().code()).isEqualTo(FailureCode.TASK_TIMEOUT);
        FunctionDoc py = fn(Buffers.pack(List.of("st\nnap:def nap():\n    import time\n    time.sleep(30)\n")));
        assertThat(runner.run(task(py, NO_ARGS), py).error().code()).isEqualTo(FailureCode.TASK_TIMEOUT);
        FunctionDoc quick = fn(new ShellCommand("echo ok", 0, 5).functionCode());
        assertThat(outcome(runner.run(task(quick, NO_ARGS), quick)).stdout()).isEqualTo("ok\n");
    }

    @Test
    void anMpiCommandRunsUnderTheLauncherPrefixForItsResources() {
        MpiLauncher fake = spec -> "env LAUNCHED_RANKS=" + spec.numRanks();
        TaskRunner runner = new TaskRunner(work, null, fake);
        FunctionDoc f = fn(new ShellCommand(
                        "sh -c 'echo $LAUNCHED_RANKS $GANTRY_NUM_RANKS $PARSL_RANKS_PER_NODE'", 0, 5, null, null, true)
                .functionCode());
        TaskMessage t = new TaskMessage(
                TaskId.random(), TaskGroupId.random(), 1, f.functionUuid(), NO_ARGS, new ResourceSpec(1, 2, 2, ""));
        assertThat(outcome(runner.run(t, f)).stdout()).isEqualTo("2 2 2\n");

        TaskResult none = runner.run(task(f, NO_ARGS), f);
        assertThat(none.error().code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
        assertThat(none.error().userMessage()).contains("needs a resource specification");

        TaskMessage twoNodes = new TaskMessage(
                TaskId.random(), TaskGroupId.random(), 1, f.functionUuid(), NO_ARGS, new ResourceSpec(2, 1, 2, ""));
        TaskResult r = new TaskRunner(work).run(twoNodes, f);
        assertThat(r.error().userMessage()).contains("asks for 2 nodes");
        assertThat(MpiLauncher.localMpiexec().prefix(new ResourceSpec(1, 4, 4, "--oversubscribe")))
                .isEqualTo("mpiexec -n 4 --oversubscribe");
        assertThat(MpiLauncher.srun().prefix(new ResourceSpec(2, 4, 8, "--cpu-bind=cores")))
                .as("on an srun block the ranks may span its nodes")
                .isEqualTo("srun -N 2 -n 8 --ntasks-per-node=4 --cpu-bind=cores");
    }
}
