package dev.gantry.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engines.EngineConfig;
import dev.gantry.engines.LauncherConfig;
import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.ProviderConfig;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointConfigTest {
    @TempDir
    Path dir;

    private EndpointConfig read(String yaml) throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, yaml);
        return EndpointConfig.read(f);
    }

    @Test
    void theConfigureTemplateReadsBackWithItsDefaults() throws Exception {
        EndpointConfig c = read(EndpointConfig.template("process", 3));
        assertThat(c.engine()).isEqualTo(new EngineConfig.Process(3, 2));
        assertThat(c.heartbeatPeriodMs()).isEqualTo(30_000);
        assertThat(c.displayName()).isNull();
        assertThat(c.credit()).isEqualTo(256);
    }

    @Test
    void thePilotTemplateAndTheExampleConfigsInDocsReadBack() throws Exception {
        EndpointConfig c = read(EndpointConfig.template("pilot", 4));
        assertThat(c.engine()).isInstanceOf(PilotConfig.class);
        assertThat(((PilotConfig) c.engine()).provider()).isInstanceOf(ProviderConfig.Local.class);
        try (var files = Files.list(Path.of("../docs/endpoint-configs"))) {
            List<Path> examples =
                    files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
            for (Path f : examples) {
                assertThat(EndpointConfig.read(f).engine()).as(f.toString()).isInstanceOf(PilotConfig.class);
            }
        }
        PilotConfig slurm = (PilotConfig) EndpointConfig.read(Path.of("../docs/endpoint-configs/slurm.yaml"))
                .engine();
        assertThat(slurm.provider()).isInstanceOf(ProviderConfig.Slurm.class);
        assertThat(slurm.provider().launcher()).isEqualTo(new LauncherConfig.Srun("--cpu-bind=none"));
    }

    @Test
    void allowedFunctionsAreFunctionIdsAndABadOneIsNamed() throws Exception {
        String id = "6f1c7a4e-2b8d-4c55-9a43-0d3e5f8b1c27";
        assertThat(read("allowed_functions: [" + id + ", " + id + "]\n").allowedFunctions())
                .containsExactly(dev.gantry.protocol.FunctionId.of(id));
        assertThat(read("allowed_functions: []\n").allowedFunctions())
                .as("runs nothing")
                .isEmpty();
        assertThat(read("display_name: x\n").allowedFunctions())
                .as("runs anything")
                .isNull();
        assertThatThrownBy(() -> read("allowed_functions: [" + id + ", not-an-id]\n"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("allowed_functions[1]")
                .hasMessageContaining("not-an-id");
    }

    @Test
    void badPilotKeysAreRefusedWithTheirNames() {
        String head = "engine:\n  type: pilot\n";
        assertThatThrownBy(() -> read(head + "  min_blocks: 3\n  max_blocks: 2\n"))
                .hasMessageContaining("min_blocks");
        assertThatThrownBy(() -> read(head + "  heartbeat_period: 10\n  heartbeat_threshold: 15\n"))
                .hasMessageContaining("heartbeat_threshold");
        assertThatThrownBy(() -> read(head + "  provider:\n    type: slurm\n    partition: \"a b\"\n"))
                .hasMessageContaining("partition");
        assertThatThrownBy(() -> read(head + "  provider:\n    type: slurm\n    scheduler_options: \"rm -rf /\"\n"))
                .hasMessageContaining("scheduler_options");
        assertThatThrownBy(() -> read(head + "  provider:\n    type: lsf\n")).hasMessageContaining("provider");
    }

    @Test
    void unknownKeysAndBadValuesNameTheirPath() {
        assertThatThrownBy(() -> read("engine:\n  type: thread\n  max_wrkers: 2\n"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("at engine")
                .hasMessageContaining("max_wrkers");
        assertThatThrownBy(() -> read("engine:\n  type: gpu\n")).hasMessageContaining("engine");
        assertThatThrownBy(() -> read("heartbeat_period: 0.01\n")).hasMessageContaining("heartbeat_period");
        assertThatThrownBy(() -> read("engine:\n  type: thread\n  max_workers: -1\n"))
                .hasMessageContaining("max_workers");
    }

    @Test
    void allowedSerializersAreNamesOrIdsAndUnknownOnesAreRefused() throws Exception {
        EndpointConfig c = read("allowed_serializers: [python_source, \"sh\"]\n");
        assertThat(c.allowedStrategies())
                .containsExactlyInAnyOrder(
                        dev.gantry.protocol.payload.Strategy.PYTHON_SOURCE, dev.gantry.protocol.payload.Strategy.SHELL);
        assertThat(read("display_name: x\n").allowedStrategies())
                .as("absent: everything but Java native serialization")
                .hasSize(dev.gantry.protocol.payload.Strategy.values().length - 1)
                .doesNotContain(dev.gantry.protocol.payload.Strategy.JAVA_NATIVE);
        assertThat(read("python: /opt/conda/bin/python\n").python()).isEqualTo("/opt/conda/bin/python");
        assertThatThrownBy(() -> read("allowed_serializers: [pickle]\n"))
                .hasMessageContaining("unknown strategy 'pickle'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"../evil", "a/b", ".hidden", "has space", "", "00000000-0000-4000-8000-000000000000", "quote\"d"
            })
    void endpointNamesAreCheckedBeforeTheyBecomePaths(String name) {
        assertThatThrownBy(() -> EndpointDir.of(new GantryHome(dir), name))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("not a valid endpoint name");
    }

    @Test
    void aGoodNameLivesUnderTheHome() {
        EndpointDir d = EndpointDir.of(new GantryHome(dir), "my-ep_1.x");
        assertThat(d.config()).isEqualTo(dir.resolve("endpoints/my-ep_1.x/config.yaml"));
    }
}
