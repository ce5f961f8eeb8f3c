package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.endpoint.identity.IdentityMappingFile;
import dev.gantry.endpoint.identity.LocalAccounts;
import dev.gantry.protocol.EndpointId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start pipeline's steps before anything runs: mapping, the account checks, the template. */
class StartPipelineTest {
    static final String OWNER = "0b1d0000-0000-4000-8000-000000000001";

    static StartPipeline pipeline(Path dir, boolean privileged, int managerUid) throws Exception {
        return pipeline(dir, privileged, managerUid, "java");
    }

    static StartPipeline pipeline(Path dir, boolean privileged, int managerUid, String java) throws Exception {
        Files.writeString(dir.resolve("identity_mapping.json"), """
                [{"DATA_TYPE": "expression_identity_mapping#1.0.0", "mappings": [
                  {"source": "{username}", "match": "(.*)@example\\\\.org", "output": "{0}"}]}]""");
        Files.writeString(dir.resolve("config.yaml"), "display_name: site\n");
        ManagerConfig cfg = ManagerConfig.read(dir.resolve("config.yaml"));
        StartPipeline.Site site = new StartPipeline.Site(
                dir,
                EndpointId.random(),
                cfg,
                privileged,
                managerUid,
                OWNER,
                List.of("http://127.0.0.1:1"),
                null,
                java,
                "cp");
        return new StartPipeline(
                site,
                new StartCheck(Clock.systemUTC()),
                privileged ? new IdentityMappingFile(dir.resolve("identity_mapping.json")) : null,
                new LocalAccounts(),
                new UserEndpoints(Clock.systemUTC(), 0),
                ManagerAudit.OFF);
    }

    static List<Map<String, String>> identity(String id, String username) {
        return List.of(Map.of("id", id, "username", username));
    }

    @Test
    void aRootManagerMapsByItsRulesAndRefusesTheUnmapped(@TempDir Path dir) throws Exception {
        StartPipeline p = pipeline(dir, true, 0);
        assertThat(p.mapIdentity(identity("x", "nobody@example.org"))).isEqualTo("nobody");
        assertThatThrownBy(() -> p.mapIdentity(identity("x", "eve@elsewhere.org")))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("not mapped")
                .satisfies(e -> assertThat(((StartRefused) e).detail()).contains("no identity mapping rule matched"));
    }

    @Test
    void rootTheManagersOwnAccountAndMissingAccountsAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> pipeline(dir, true, 0).account("root"))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("may not run user endpoints");
        assertThatThrownBy(() -> pipeline(dir, true, 65534).account("nobody"))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("may not run user endpoints"); // nobody (65534) is this manager's account here
        assertThatThrownBy(() -> pipeline(dir, true, 0).account("gantry-no-such-user"))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("does not exist");
        assertThat(pipeline(dir, true, 0).account("nobody").uid()).isEqualTo(65534);
    }

    @Test
    void aPersonalManagerServesItsOwnerOnlyAsItsOwnAccount(@TempDir Path dir) throws Exception {
        StartPipeline p = pipeline(dir, false, 1000);
        assertThat(p.mapIdentity(
                        List.of(Map.of("id", "other", "username", "o@x"), Map.of("id", OWNER, "username", "me@x"))))
                .isEqualTo(System.getProperty("user.name"));
        assertThatThrownBy(() -> p.mapIdentity(identity("someone-else", "eve@example.org")))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("serves its owner only")
                .satisfies(e -> assertThat(((StartRefused) e).detail()).contains("untrusted identity"));
    }

    @Test
    void aMissingTemplateOrBrokenSchemaIsTheAdministratorsProblem(@TempDir Path dir) throws Exception {
        StartPipeline p = pipeline(dir, true, 0);
        assertThatThrownBy(p::readTemplate)
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("administrator")
                .satisfies(e -> assertThat(((StartRefused) e).detail()).contains("user_config_template.yaml.j2"));
        Files.writeString(dir.resolve("user_config_template.yaml.j2"), "engine: {type: thread}\n");
        assertThat(p.readTemplate().text()).contains("thread");
        assertThat(p.readTemplate().schema()).isNull();
        Files.writeString(dir.resolve("user_config_schema.json"), "{not json");
        assertThatThrownBy(p::readTemplate).isInstanceOf(StartRefused.class).hasMessageContaining("schema is broken");
    }

    @Test
    void concurrentRequestsForOneUserEndpointStartOneProcess(@TempDir Path dir) throws Exception {
        Path fakeJvm = dir.resolve("fake-java");
        Files.writeString(fakeJvm, "#!/bin/sh\ncat >/dev/null\necho 'GANTRY-USER-ENDPOINT READY'\nexec sleep 30\n");
        fakeJvm.toFile().setExecutable(true);
        Files.writeString(dir.resolve("user_config_template.yaml.j2"), "engine: {type: thread}\n");
        StartPipeline p = pipeline(dir, false, 1000, fakeJvm.toString());
        EndpointId uep = EndpointId.random();
        List<java.util.concurrent.Future<StartPipeline.Started>> pids = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 4; i++) {
                pids.add(pool.submit(() -> p.start(new dev.gantry.protocol.channel.ChannelMessage.StartUserEndpoint(
                        uep,
                        java.util.UUID.randomUUID(),
                        System.currentTimeMillis(),
                        identity(OWNER, "me@x"),
                        null,
                        null,
                        "t",
                        "/p"))));
            }
        }
        long first = pids.get(0).get().pid();
        for (var f : pids) {
            assertThat(f.get().pid()).isEqualTo(first);
        }
        assertThat(pids.stream()
                        .filter(f -> {
                            try {
                                return f.get().fresh();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .count())
                .as("started once, found running three times")
                .isEqualTo(1);
        ProcessHandle.of(first).ifPresent(ProcessHandle::destroyForcibly);
    }
}
