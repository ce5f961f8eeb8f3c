package dev.gantry.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.Strategy;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TaskChecksTest {
    static final EndpointId EP = EndpointId.random();
    final FunctionId shell = FunctionId.random();
    final FunctionDoc shellCode =
            new FunctionDoc(shell, "f", Buffers.pack(List.of(Strategy.SHELL.tag("{\"cmd\":\"true\"}"))), null, null);

    TaskMessage task(FunctionId fn, String payload) {
        return new TaskMessage(TaskId.random(), TaskGroupId.random(), 1, fn, payload, null);
    }

    @Test
    void aListedFunctionInAnAllowedSerializationWithJsonArgumentsRuns() {
        TaskChecks checks = new TaskChecks(EnumSet.of(Strategy.SHELL), Set.of(shell), () -> EP);
        assertThat(checks.check(task(shell, Buffers.pack(List.of(Strategy.JSON.tag("[1]")))), shellCode))
                .isEmpty();
    }

    @Test
    void eachRefusalHasItsCodeAndSaysWhy() {
        TaskChecks listed = new TaskChecks(EnumSet.of(Strategy.SHELL), Set.of(FunctionId.random()), () -> EP);
        assertThat(listed.check(task(shell, ""), shellCode)).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo(FailureCode.FUNCTION_NOT_ALLOWED);
            assertThat(r.why())
                    .contains(shell.toString())
                    .contains(EP.toString())
                    .contains("allowed_functions");
        });
        TaskChecks any = new TaskChecks(EnumSet.of(Strategy.JAVA_BUNDLE), null, () -> EP);
        assertThat(any.check(task(shell, ""), null))
                .hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK));
        assertThat(any.check(task(shell, ""), shellCode)).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo(FailureCode.SERIALIZER_NOT_ALLOWED);
            assertThat(r.why()).contains("serialized as shell ('sh')");
        });
        TaskChecks shellOnly = new TaskChecks(EnumSet.of(Strategy.SHELL), null, () -> EP);
        assertThat(shellOnly.check(task(shell, Buffers.pack(List.of(Strategy.JAVA_NATIVE.tag("x")))), shellCode))
                .hasValueSatisfying(r -> assertThat(r.why()).contains("does not decode arguments"));
    }
}
