package dev.gantry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.ShellCommand;
import dev.gantry.protocol.payload.ShellOutcome;
import dev.gantry.protocol.payload.Strategy;
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

    static TaskMessage task(FunctionDoc f, String payload) {
        return new TaskMessage(TaskId.random(), TaskGroupId.random(), 1, f.functionUuid(), payload);
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

    @Test
    void aResultOverTheLimitFailsTheTaskWithItsCode() {
        FunctionDoc f = shell("head -c 11000000 /dev/zero | tr '\\0' a");
        TaskResult r = new TaskRunner(work).run(task(f, Arguments.of(List.of()).pack()), f);
        assertThat(r.error().code()).isEqualTo(ErrorCode.MAX_RESULT_SIZE_EXCEEDED);
        assertThat(r.data().length()).isLessThan(1000);
    }

    @Test
    void badCodeOrArgumentsAreFailuresToStartNotCrashes() {
        FunctionDoc pickled = new FunctionDoc(FunctionId.random(), "p", Buffers.pack(List.of("01\ngASV")), null, null);
        TaskResult r = new TaskRunner(work).run(task(pickled, Arguments.of(List.of()).pack()), pickled);
        assertThat(r.error().code()).isEqualTo(ErrorCode.COULD_NOT_EXECUTE_TASK);
        assertThat(r.error().userMessage()).contains("cannot run functions serialized as '01'");
        FunctionDoc f = shell("true");
        TaskResult bad = new TaskRunner(work).run(task(f, "garbage"), f);
        assertThat(bad.error().code()).isEqualTo(ErrorCode.COULD_NOT_EXECUTE_TASK);
    }
}
