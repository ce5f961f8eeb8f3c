package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.endpoint.EndpointDir;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerConfigTest {
    @Test
    void aKeyGivenTwiceAndAnOversizedFileAreRefusedWithTheirFile(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("config.yaml");
        Files.writeString(cfg, "public: true\npublic: false\n");
        assertThatThrownBy(() -> ManagerConfig.read(cfg))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining(cfg.toString())
                .hasMessageContaining("public");
        Files.writeString(cfg, "display_name: \"" + "x".repeat(2 << 20) + "\"\n");
        assertThatThrownBy(() -> ManagerConfig.isManager(cfg))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("at most");
    }

    @Test
    void aHighAssuranceManagerKeepsItsAuditLogInItsDirectoryUnlessTold(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("config.yaml");
        Files.writeString(cfg, "display_name: site\n");
        assertThat(ManagerConfig.read(cfg).isHighAssurance()).isFalse();
        Files.writeString(cfg, "high_assurance: true\n");
        ManagerConfig ha = ManagerConfig.read(cfg);
        assertThat(ha.isHighAssurance()).isTrue();
        assertThat(ha.auditLog(dir)).isEqualTo(dir.resolve("audit.log"));
        assertThat(ha.forTemplates(true)).containsEntry("high_assurance", true);
        Files.writeString(cfg, "high_assurance: true\naudit_log_path: /var/log/gantry/site-audit.log\n");
        assertThat(ManagerConfig.read(cfg).auditLog(dir)).isEqualTo(Path.of("/var/log/gantry/site-audit.log"));
        Files.writeString(cfg, "high_assurance: true\naudit_log_path: ' '\n");
        assertThatThrownBy(() -> ManagerConfig.read(cfg)).hasMessageContaining("audit_log_path");
    }

    @Test
    void aConfigWithoutEngineIsAManagersAndConfigureWritesOneThatReads(@TempDir Path home) throws Exception {
        EndpointDir d = EndpointDir.of(new GantryHome(home), "site");
        GantryHome.privateDir(d.dir());
        ManagerFiles.write(d, true);
        assertThat(ManagerConfig.isManager(d.config())).isTrue();
        ManagerConfig c = ManagerConfig.read(d.config());
        assertThat(c.isPublic(true)).isTrue();
        assertThat(c.gracePeriodMs()).isEqualTo(30_000);
        assertThat(c.template(d.dir()))
                .isEqualTo(d.dir().resolve("user_config_template.yaml.j2"))
                .exists();
        assertThat(c.schema(d.dir())).exists();
        assertThat(c.environment(d.dir())).exists();
        assertThat(d.dir().resolve("example_identity_mapping_config.json")).exists();
        assertThat(dev.gantry.endpoint.identity.IdentityMapping.parse(
                        Files.readString(d.dir().resolve("example_identity_mapping_config.json"))))
                .isNotNull();
        assertThat(c.identityMapping(d.dir())).doesNotExist(); // nobody maps until the administrator says so
        Files.writeString(d.config(), "engine:\n  type: thread\n");
        assertThat(ManagerConfig.isManager(d.config())).isFalse();
    }

    @Test
    void aManagersAllowedFunctionsReplaceTheRenderedOnesOfItsUserEndpoints(@TempDir Path home) throws Exception {
        FunctionId mine = FunctionId.random();
        FunctionId theirs = FunctionId.random();
        Path f = home.resolve("config.yaml");
        Files.writeString(f, "allowed_functions: [" + mine + "]\n");
        assertThat(ManagerConfig.read(f).allowedFunctions()).containsExactly(mine);
        Files.writeString(f, "allowed_functions: [nope]\n");
        assertThatThrownBy(() -> ManagerConfig.read(f)).hasMessageContaining("allowed_functions[0]");

        String rendered = "engine:\n  type: thread\nallowed_functions: [" + theirs + "]\n";
        assertThat(UserEndpointMain.config(rendered, List.of(mine), false).allowedFunctions())
                .containsExactly(mine);
        assertThat(UserEndpointMain.config(rendered, null, false).allowedFunctions())
                .containsExactly(theirs);
        assertThat(UserEndpointMain.config("engine:\n  type: thread\n", List.of(), false)
                        .allowedFunctions())
                .isEmpty();
    }

    @Test
    void personalManagersArePrivateByDefault(@TempDir Path home) throws Exception {
        Path f = home.resolve("config.yaml");
        Files.writeString(f, "display_name: mine\n");
        assertThat(ManagerConfig.read(f).isPublic(false)).isFalse();
        assertThat(ManagerConfig.read(f).isPublic(true)).isTrue();
        Files.writeString(f, "public: false\n");
        assertThat(ManagerConfig.read(f).isPublic(true)).isFalse();
    }

    @Test
    void unknownKeysAndBadValuesNameTheirPlace(@TempDir Path home) throws Exception {
        Path f = home.resolve("config.yaml");
        Files.writeString(f, "display_name: x\nidentity_maping_config_path: typo.json\n");
        assertThatThrownBy(() -> ManagerConfig.read(f))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("identity_maping_config_path");
        Files.writeString(f, "mu_child_ep_grace_period_s: -1\n");
        assertThatThrownBy(() -> ManagerConfig.read(f))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("mu_child_ep_grace_period_s");
    }
}
