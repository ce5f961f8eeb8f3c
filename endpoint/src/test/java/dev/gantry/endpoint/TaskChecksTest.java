package dev.gantry.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void globusComputesFormOfTheAllowlistRefusesDillBeforeAnythingIsDecoded() {
        Set<Strategy> sourceAndJson = SerializerAllowlist.parse(List.of(
                "globus_compute_sdk.serialize.PureSourceTextInspect",
                "globus_compute_sdk.serialize.concretes.JSONData"));
        assertThat(sourceAndJson).containsExactlyInAnyOrder(Strategy.PYTHON_SOURCE, Strategy.JSON);
        FunctionId fn = FunctionId.random();
        FunctionDoc dill = new FunctionDoc(fn, "f", Buffers.pack(List.of("01\nnot even base64")), null, null);
        TaskChecks checks = new TaskChecks(sourceAndJson, null, () -> EP);
        assertThat(checks.check(task(fn, ""), dill)).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo(FailureCode.SERIALIZER_NOT_ALLOWED);
            assertThat(r.why()).contains("serialized as DillCode ('01')");
        });
        FunctionId src = FunctionId.random();
        FunctionDoc source = new FunctionDoc(src, "f", Buffers.pack(List.of("st\nf:def f(): pass\n")), null, null);
        assertThat(checks.check(task(src, Buffers.pack(List.of("00\nx", "00\ny"))), source))
                .hasValueSatisfying(r -> assertThat(r.why()).contains("arguments serialized as DillDataBase64"));

        Set<Strategy> wildcards =
                SerializerAllowlist.parse(List.of("globus_compute_sdk.*Code", "globus_compute_sdk.*Data"));
        assertThat(wildcards)
                .contains(Strategy.DILL_CODE, Strategy.PYTHON_SOURCE, Strategy.DILL_DATA_BASE64, Strategy.JSON)
                .doesNotContain(Strategy.JAVA_BUNDLE, Strategy.JAVA_NATIVE);
        assertThat(SerializerAllowlist.parse(null)).contains(Strategy.DILL_CODE).doesNotContain(Strategy.JAVA_NATIVE);
        assertThatThrownBy(() -> SerializerAllowlist.parse(
                        List.of("globus_compute_sdk.*Code", "globus_compute_sdk.serialize.DillCode")))
                .hasMessageContaining("cannot be listed with globus_compute_sdk.*Code");
        assertThatThrownBy(() -> SerializerAllowlist.parse(List.of("globus_compute_sdk.serialize.Nope")))
                .hasMessageContaining("unknown strategy 'globus_compute_sdk.serialize.Nope'");
    }
}
