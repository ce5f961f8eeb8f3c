package dev.gantry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaSource;
import dev.gantry.protocol.payload.ShellCommand;
import dev.gantry.protocol.payload.ShellOutcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRunnerTest {
    @TempDir
    Path work;

    static FunctionDoc shell(String cmd) {
        return new FunctionDoc(FunctionId.random(), "sh", new ShellCommand(cmd, 0, 5).functionCode(), null, null);
    }

    /** A task whose Python result comes back as JSON, as Gantry's Java SDK asks. */
    static TaskMessage task(FunctionDoc f, String payload) {
        return new TaskMessage(
                TaskId.random(), TaskGroupId.random(), 1, f.functionUuid(), payload, null, List.of("JSONData"));
    }

    @Test
    void aShellTaskRunsInItsOwnDirectoryWithItsIdInTheEnvironment() {
        FunctionDoc f = shell("pwd; echo $GANTRY_TASK_ID");
        TaskMessage t = task(f, Arguments.of(List.of()).pack());
        TaskResult r = new TaskRunner(work).run(t, f);
        assertThat(r.failed()).isFalse();
        ShellOutcome out = Json.read(r.data().substring(3), ShellOutcome.class);
        assertThat(out.stdout()).isEqualTo(work.resolve(t.task().toString()) + "\n" + t.task() + "\n");
        assertThat(out.returncode()).isZero();
    }

    /** Buffers written by hand from Globus Compute's reference: register_source_code and JSONData args. */
    @Test
    void aPythonSourceVectorRunsAsGlobusComputeWouldRunIt() {
        String code = "39\nst\nadd:def add(a, b):\n    return a + b\n";
        assertThat(Buffers.pack(List.of("st\nadd:def add(a, b):\n    return a + b\n")))
                .isEqualTo(code);
        FunctionDoc f = new FunctionDoc(FunctionId.random(), "add", code, null, null);
        TaskResult r = new TaskRunner(work).run(task(f, "9\n11\n[2, 3]5\n11\n{}"), f);
        assertThat(r.error()).isNull();
        assertThat(r.data()).isEqualTo("11\n5");
        TaskResult kw = new TaskRunner(work).run(task(f, "8\n11\n[\"x\"]13\n11\n{\"b\": \"y\"}"), f);
        assertThat(kw.data()).isEqualTo("11\n\"xy\"");
    }

    @Test
    void aPythonExceptionIsARemoteErrorWithItsTraceback() {
        String src = "def boom(x):\n    raise ValueError('bad ' + str(x))\n";
        FunctionDoc f =
                new FunctionDoc(FunctionId.random(), "boom", Buffers.pack(List.of("st\nboom:" + src)), null, null);
        TaskResult r = new TaskRunner(work).run(task(f, Arguments.of(List.of(7)).pack()), f);
        assertThat(r.error().code()).isEqualTo(FailureCode.REMOTE_EXECUTION_ERROR);
        assertThat(r.error().exceptionType()).isEqualTo("ValueError");
        assertThat(r.data()).contains("Traceback").contains("ValueError: bad 7");
    }

    @Test
    void aPythonFunctionThatKillsItsInterpreterFailsAloneAndTheNextTaskRuns() {
        FunctionDoc exit = new FunctionDoc(
                FunctionId.random(),
                "die",
                Buffers.pack(List.of("st\ndie:import os\ndef die():\n    os._exit(3)\n")),
                null,
                null);
        FunctionDoc ok = new FunctionDoc(
                FunctionId.random(), "one", Buffers.pack(List.of("st\none:def one():\n    return 1\n")), null, null);
        TaskRunner runner = new TaskRunner(work);
        TaskResult died = runner.run(task(exit, Arguments.of(List.of()).pack()), exit);
        assertThat(died.error().code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
        assertThat(died.error().userMessage()).contains("python3 exited while running the task");
        assertThat(runner.run(task(ok, Arguments.of(List.of()).pack()), ok).data())
                .isEqualTo("11\n1");
    }

    @Test
    void javaSourceIsCompiledOnceAndItsErrorsAreTheCompilersDiagnostics() {
        String src =
                "package demo;\npublic class Adder {\n  public static long add(long a, long b) { return a + b; }\n}\n";
        FunctionDoc f = new FunctionDoc(
                FunctionId.random(), "add", new JavaSource(src, "demo.Adder::add").functionCode(), null, null);
        TaskRunner runner = new TaskRunner(work);
        assertThat(runner.run(task(f, Arguments.of(List.of(2, 3)).pack()), f).data())
                .isEqualTo("11\n5");
        FunctionDoc bad = new FunctionDoc(
                FunctionId.random(),
                "bad",
                new JavaSource("public class Bad {\n  public static int f() { return \"x\"; }\n}\n", "Bad::f")
                        .functionCode(),
                null,
                null);
        TaskResult r = runner.run(task(bad, Arguments.of(List.of()).pack()), bad);
        assertThat(r.error().code()).isEqualTo(FailureCode.COMPILE_ERROR);
        assertThat(r.data()).startsWith("Bad.java:2: error:").contains("String cannot be converted to int");
    }

    @Test
    void shellPlaceholdersComeFromKeywordArgumentsAsPythonFormatsThem() {
        FunctionDoc f = shell("echo {greeting}, {name}! {{literal}} {n}");
        TaskMessage t = task(
                f,
                Arguments.of(List.of(), java.util.Map.of("greeting", "Hello", "name", "you", "n", 3))
                        .pack());
        TaskResult r = new TaskRunner(work).run(t, f);
        assertThat(Json.read(r.data().substring(3), ShellOutcome.class).stdout())
                .isEqualTo("Hello, you! {literal} 3\n");
        TaskResult missing =
                new TaskRunner(work).run(task(f, Arguments.of(List.of()).pack()), f);
        assertThat(missing.error().code()).isEqualTo(FailureCode.REMOTE_EXECUTION_ERROR);
        assertThat(missing.data()).contains("KeyError").contains("{greeting}");
    }

    @Test
    void aResultOverTheLimitFailsTheTaskWithItsCode() {
        FunctionDoc f = shell("head -c 11000000 /dev/zero | tr '\\0' a");
        TaskResult r = new TaskRunner(work).run(task(f, Arguments.of(List.of()).pack()), f);
        assertThat(r.error().code()).isEqualTo(FailureCode.MAX_RESULT_SIZE_EXCEEDED);
        assertThat(r.data().length()).isLessThan(1000);
    }

    @Test
    void badCodeOrArgumentsAreFailuresToStartNotCrashes() {
        FunctionDoc pickled = new FunctionDoc(FunctionId.random(), "p", Buffers.pack(List.of("01\ngASV")), null, null);
        TaskResult r =
                new TaskRunner(work).run(task(pickled, Arguments.of(List.of()).pack()), pickled);
        assertThat(r.error().code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
        assertThat(r.error().userMessage()).contains("could not be decoded").contains("UnpicklingError");
        assertThat(r.data()).doesNotContain("at dev.gantry");
        FunctionDoc f = shell("true");
        TaskResult bad = new TaskRunner(work).run(task(f, "garbage"), f);
        assertThat(bad.error().code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
    }
}
