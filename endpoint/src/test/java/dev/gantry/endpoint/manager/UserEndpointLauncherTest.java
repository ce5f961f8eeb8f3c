package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserEndpointLauncherTest {
    static final LocalUser ALICE = new LocalUser(
            "alice", 1001, 1001, List.of(1001, 2000), List.of("alice", "gpu"), "", "/bin/bash", "/home/alice");
    static final JsonNode RUNTIME =
            Json.read("{\"java_version\": \"21.0.5\", \"sdk_version\": \"0.1.0\"}", JsonNode.class);

    @Test
    void aRootManagerDropsPrivilegesThroughSetsidAndSetpriv() {
        List<String> cmd = UserEndpointLauncher.command(
                ALICE, true, "/jdk/bin/java", "/opt/gantry/lib/*", List.of("-Xmx256m"), null);
        assertThat(cmd.get(0)).endsWith("setsid");
        assertThat(cmd.get(1)).endsWith("setpriv");
        assertThat(cmd.subList(2, cmd.size()))
                .startsWith(
                        "--reuid=1001",
                        "--regid=1001",
                        "--init-groups",
                        "--no-new-privs",
                        "--inh-caps=-all",
                        "--bounding-set=-all",
                        "--",
                        "/bin/sh",
                        "-c");
        assertThat(cmd.get(11))
                .startsWith("umask 077;")
                .contains("cd \"$HOME\"")
                .endsWith("exec \"$0\" \"$@\"");
        assertThat(cmd.subList(12, cmd.size()))
                .containsExactly(
                        "/jdk/bin/java",
                        "-Xmx256m",
                        "-cp",
                        "/opt/gantry/lib/*",
                        "dev.gantry.cli.Main",
                        "endpoint",
                        "_start-user-endpoint");
    }

    @Test
    void aPersonalManagerStartsItAsItself() {
        List<String> cmd = UserEndpointLauncher.command(ALICE, false, "java", "cp", List.of(), null);
        assertThat(cmd).startsWith("/bin/sh", "-c").noneMatch(a -> a.endsWith("setpriv") || a.endsWith("setsid"));
    }

    @Test
    void aClassArchiveIsTheAccountsOwnAndNamedAfterTheJvmAndClasspath() {
        String a = UserEndpointLauncher.classArchive(
                Path.of("/home/alice/.gantry"), "/jdk/bin/java", "/opt/lib/*", List.of());
        assertThat(a).startsWith("/home/alice/.gantry/cds/user-endpoint-").endsWith(".jsa");
        assertThat(UserEndpointLauncher.classArchive(
                        Path.of("/home/alice/.gantry"), "/jdk/bin/java", "/opt/lib2/*", List.of()))
                .isNotEqualTo(a);
        List<String> cmd = UserEndpointLauncher.command(ALICE, true, "/jdk/bin/java", "/opt/lib/*", List.of(), a);
        assertThat(cmd).containsSequence("/jdk/bin/java", "-XX:SharedArchiveFile=" + a, "-XX:+AutoCreateSharedArchive");
    }

    @Test
    void aRootManagersUserEndpointGetsOnlyTheAdminsVariablesAndTheAccounts() {
        Map<String, String> env = UserEndpointLauncher.environment(
                ALICE,
                true,
                Map.of("SECRET", "manager's", "PATH", "/root/bin", "HOME", "/root"),
                Map.of("SCRATCH", "/scratch"),
                RUNTIME);
        assertThat(env)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "SCRATCH",
                        "/scratch",
                        "HOME",
                        "/home/alice",
                        "USER",
                        "alice",
                        "PATH",
                        UserEndpointLauncher.PATH,
                        "GANTRY_USER_JAVA_VERSION",
                        "21.0.5",
                        "GANTRY_USER_SDK_VERSION",
                        "0.1.0"));
    }

    @Test
    void aPersonalManagerPassesItsOwnEnvironmentOn() {
        Map<String, String> env =
                UserEndpointLauncher.environment(ALICE, false, Map.of("TERM", "xterm", "PATH", "/x"), Map.of(), null);
        assertThat(env)
                .containsEntry("TERM", "xterm")
                .containsEntry("PATH", "/x")
                .doesNotContainKey("GANTRY_USER_JAVA_VERSION");
    }

    @Test
    void runtimeVersionsThatAreNotVersionsAreLeftOut() {
        JsonNode evil = Json.read("{\"java_version\": \"21; rm -rf /\", \"sdk_version\": \"x\\ny\"}", JsonNode.class);
        assertThat(UserEndpointLauncher.environment(ALICE, true, Map.of(), Map.of(), evil))
                .doesNotContainKeys("GANTRY_USER_JAVA_VERSION", "GANTRY_USER_SDK_VERSION");
    }

    @Test
    void theAdminsEnvironmentFileIsFlatAndCannotSetTheAccountsOwn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("user_environment.yaml");
        assertThat(UserEnvironment.read(f)).isEmpty();
        Files.writeString(f, "SCRATCH: /scratch\nTHREADS: 4\nHOME: /elsewhere\nUSER: root\nPWD: /\n");
        assertThat(UserEnvironment.read(f))
                .containsExactlyInAnyOrderEntriesOf(Map.of("SCRATCH", "/scratch", "THREADS", "4"));
        Files.writeString(f, "NESTED: {a: 1}\n");
        assertThatThrownBy(() -> UserEnvironment.read(f))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("NESTED");
        Files.writeString(f, "'BAD NAME': x\n");
        assertThatThrownBy(() -> UserEnvironment.read(f))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("BAD NAME");
    }
}
