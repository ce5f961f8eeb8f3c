package dev.gantry.endpoint.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.identity.FederatedIdentity;
import dev.gantry.endpoint.identity.IdentityMapping;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.endpoint.manager.ManagerConfig;
import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.ProviderConfig;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The multi-user example of docs/endpoint-configs: a group-dependent Slurm partition, per-user accounts. */
class SiteTemplateExampleTest {
    static final Path DIR = Path.of("../docs/endpoint-configs/multi-user");
    static final LocalUser ALICE = new LocalUser(
            "alice", 1001, 1001, List.of(1001, 3000), List.of("alice", "hpc-gpu"), "", "/bin/bash", "/home/alice");
    static final LocalUser BOB =
            new LocalUser("bob", 1002, 1002, List.of(1002), List.of("bob"), "", "/bin/bash", "/home/bob");

    static ProviderConfig.Slurm render(LocalUser user, String values) throws Exception {
        UserConfigTemplate t = new UserConfigTemplate(
                Files.readString(DIR.resolve("user_config_template.yaml.j2")),
                DIR,
                UserConfigSchema.parse(Files.readString(DIR.resolve("user_config_schema.json"))));
        String yaml = t.render(new TemplateInputs(Json.read(values, JsonNode.class), null, user, "id", Map.of()));
        PilotConfig p = (PilotConfig) EndpointConfig.parse(yaml.getBytes(StandardCharsets.UTF_8), "example")
                .engine();
        return (ProviderConfig.Slurm) p.provider();
    }

    @Test
    void theGroupDecidesThePartitionAndTheAccountIsTheUsers() throws Exception {
        ProviderConfig.Slurm alice = render(ALICE, "{\"walltime\": \"02:30:00\"}");
        ProviderConfig.Slurm bob = render(BOB, "{}");
        assertThat(alice.partition()).isEqualTo("gpu");
        assertThat(alice.account()).isEqualTo("alice");
        assertThat(alice.walltime()).isEqualTo("02:30:00");
        assertThat(bob.partition()).isEqualTo("cpu");
        assertThat(bob.account()).isEqualTo("bob");
        assertThat(bob.walltime()).isEqualTo("01:00:00");
    }

    @Test
    void valuesOutsideTheSchemaAreRefused() {
        assertThatThrownBy(() -> render(BOB, "{\"walltime\": \"1:00:00\\npartition: gpu\"}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("walltime");
        assertThatThrownBy(() -> render(BOB, "{\"partition\": \"gpu\"}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("partition");
    }

    @Test
    void theExamplesMappingAndManagerConfigRead() throws Exception {
        IdentityMapping m = IdentityMapping.parse(Files.readString(DIR.resolve("identity_mapping.json")));
        assertThat(m.map(List.of(FederatedIdentity.of("i", "Alice@UNI.example.edu"))))
                .contains("Alice");
        assertThat(ManagerConfig.read(DIR.resolve("config.yaml")).isPublic(true))
                .isTrue();
        assertThat(ManagerConfig.isManager(DIR.resolve("config.yaml"))).isTrue();
    }
}
