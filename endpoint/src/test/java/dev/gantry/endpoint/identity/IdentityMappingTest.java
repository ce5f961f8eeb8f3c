package dev.gantry.endpoint.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityMappingTest {
    static final FederatedIdentity ALICE =
            FederatedIdentity.of("0b1d0000-0000-4000-8000-00000000000a", "Alice@Example.org");
    static final FederatedIdentity BOB = new FederatedIdentity(Map.of(
            "id", "0b1d0000-0000-4000-8000-00000000000b", "username", "bob@other.edu", "email", "robert@example.org"));

    static Optional<String> map(String json, FederatedIdentity... ids) {
        return IdentityMapping.parse(json).map(List.of(ids));
    }

    static String expression(String mappings) {
        return "[{\"DATA_TYPE\": \"expression_identity_mapping#1.0.0\", \"mappings\": [" + mappings + "]}]";
    }

    @Test
    void anExpressionMatchesTheWholeSourceAndOutputsItsGroups() {
        String rules =
                expression("{\"source\": \"{username}\", \"match\": \"(.*)@example\\\\.org\", \"output\": \"{0}\"}");
        assertThat(map(rules, ALICE)).isEmpty(); // case matters by default
        assertThat(map(rules, FederatedIdentity.of("x", "carol@example.org"))).contains("carol");
        assertThat(map(rules, FederatedIdentity.of("x", "carol@example.org.evil.com")))
                .isEmpty(); // anchored
        assertThat(map(rules, FederatedIdentity.of("x", "mallory.carol@example.org")))
                .contains("mallory.carol");
    }

    @Test
    void ignoreCaseLiteralAndOtherFields() {
        assertThat(map(
                        expression(
                                "{\"source\": \"{username}\", \"match\": \"(.*)@example\\\\.org\", \"output\": \"{0}\","
                                        + " \"ignore_case\": true}"),
                        ALICE))
                .contains("Alice");
        assertThat(map(
                        expression("{\"source\": \"{username}\", \"match\": \"bob@other.edu\", \"output\": \"bobby\","
                                + " \"literal\": true}"),
                        BOB))
                .contains("bobby");
        assertThat(map(
                        expression("{\"source\": \"{username}\", \"match\": \"bob@other-edu\", \"output\": \"bobby\","
                                + " \"literal\": true}"),
                        BOB))
                .isEmpty(); // a literal '.' is not any character
        String byEmail =
                expression("{\"source\": \"{email}\", \"match\": \"(.*)@example\\\\.org\", \"output\": \"{0}\"}");
        assertThat(map(byEmail, BOB)).contains("robert");
        assertThat(map(byEmail, ALICE)).isEmpty(); // Alice has no email field
        assertThat(map(
                        expression("{\"source\": \"{id}:{username}\", \"match\": \"(.*):(.*)@(.*)\","
                                + " \"output\": \"{2}_{1}\"}"),
                        BOB))
                .contains("other.edu_bob");
    }

    @Test
    void rulesAndConfigurationsAreTriedInOrderFirstMatchWins() {
        String two = "[{\"DATA_TYPE\": \"expression_identity_mapping#1.0.0\", \"mappings\": ["
                + "{\"source\": \"{username}\", \"match\": \"nobody\", \"output\": \"x\"},"
                + "{\"source\": \"{username}\", \"match\": \"(.*)@other\\\\.edu\", \"output\": \"first_{0}\"},"
                + "{\"source\": \"{username}\", \"match\": \"(.*)@.*\", \"output\": \"second_{0}\"}]},"
                + "{\"DATA_TYPE\": \"expression_identity_mapping#1.0.0\", \"mappings\": ["
                + "{\"source\": \"{id}\", \"match\": \".*\", \"output\": \"fallback\"}]}]";
        assertThat(map(two, BOB)).contains("first_bob");
        assertThat(map(two, ALICE)).contains("second_Alice");
        assertThat(map(two, FederatedIdentity.of("i", "plain"))).contains("fallback");
    }

    @Test
    void badDocumentsAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> IdentityMapping.parse("{}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("list");
        assertThatThrownBy(() -> IdentityMapping.parse("[]")).isInstanceOf(GantryException.class);
        assertThatThrownBy(() -> IdentityMapping.parse("[{\"DATA_TYPE\": \"something#1.0.0\"}]"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("[0]")
                .hasMessageContaining("DATA_TYPE");
        assertThatThrownBy(() -> IdentityMapping.parse(
                        expression("{\"source\": \"{username}\", \"match\": \"(\", \"output\": \"x\"}")))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("regular expression");
        assertThatThrownBy(() -> IdentityMapping.parse(expression(
                        "{\"source\": \"{username}\", \"match\": \"x\", \"output\": \"x\"," + " \"surprise\": 1}")))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("surprise");
        assertThatThrownBy(() -> IdentityMapping.parse("not json")).isInstanceOf(GantryException.class);
    }

    @Test
    void anOutputThatIsNoAccountNameIsRefused() {
        String rules = expression("{\"source\": \"{username}\", \"match\": \"(.*)\", \"output\": \"{0}\"}");
        assertThatThrownBy(() -> map(rules, FederatedIdentity.of("i", "../../etc")))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("not a valid local account name");
        assertThatThrownBy(() -> map(rules, FederatedIdentity.of("i", "a b"))).isInstanceOf(GantryException.class);
    }

    @Test
    void anExternalProgramMapsWithJsonOnStdinAndStdout(@TempDir Path dir) throws Exception {
        Path ok = script(dir, "ok.sh", """
                #!/bin/sh
                input=$(cat)
                case "$input" in *identity_mapping_input#1.0.0*bob@other.edu*) ;; *) exit 3 ;; esac
                echo '{"DATA_TYPE": "identity_mapping_output#1.0.0", "result": [{"id": "0b1d0000-0000-4000-8000-00000000000b", "output": "bob"}]}'
                """);
        Path fails = script(
                dir,
                "fails.sh",
                "#!/bin/sh\ncat >/dev/null\necho '{\"DATA_TYPE\": \"identity_mapping_output#1.0.0\","
                        + " \"result\": [{\"id\": \"0b1d0000-0000-4000-8000-00000000000b\", \"output\": \"bob\"}]}'\nexit 1\n");
        Path hangs = script(dir, "hangs.sh", "#!/bin/sh\nexec sleep 30\n");
        Path garbage = script(dir, "garbage.sh", "#!/bin/sh\ncat >/dev/null\necho hello\n");
        assertThat(map(external(ok, 5), BOB)).contains("bob");
        assertThat(map(external(ok, 5), ALICE)).isEmpty();
        assertThat(map(external(fails, 5), BOB)).isEmpty();
        long t0 = System.nanoTime();
        assertThat(map(external(hangs, 0.5), BOB)).isEmpty();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        assertThat(map(external(garbage, 5), BOB)).isEmpty();
        // an external rule that maps nobody lets the next configuration try
        String chain = "[" + external(fails, 5).substring(1, external(fails, 5).length() - 1) + ", "
                + expression("{\"source\": \"{username}\", \"match\": \"(.*)@other\\\\.edu\", \"output\": \"{0}\"}")
                        .substring(1);
        assertThat(map(chain, BOB)).contains("bob");
    }

    @Test
    void theFileIsReloadedWhenItChangesAndABrokenOneKeepsTheOldRules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("identity_mapping.json");
        Files.writeString(
                f, expression("{\"source\": \"{username}\", \"match\": \"(.*)@other\\\\.edu\", \"output\": \"{0}\"}"));
        ManualClock clock = new ManualClock();
        IdentityMappingFile file = new IdentityMappingFile(f, clock);
        assertThat(file.map(List.of(BOB))).contains("bob");
        Files.writeString(
                f,
                expression("{\"source\": \"{username}\", \"match\": \"(.*)@other\\\\.edu\", \"output\": \"x_{0}\"}"));
        assertThat(file.map(List.of(BOB)))
                .as("not looked at again within a second")
                .contains("bob");
        clock.advanceMillis(IdentityMappingFile.CHECK_EVERY_MS);
        assertThat(file.map(List.of(BOB))).contains("x_bob");
        Files.writeString(f, "[{\"DATA_TYPE\": \"expression_identity_mapping#1.0.0\", \"mappings\": [");
        clock.advanceMillis(IdentityMappingFile.CHECK_EVERY_MS);
        assertThat(file.map(List.of(BOB))).contains("x_bob");
        Files.delete(f);
        clock.advanceMillis(IdentityMappingFile.CHECK_EVERY_MS);
        assertThat(file.map(List.of(BOB))).contains("x_bob");
        assertThatThrownBy(() -> new IdentityMappingFile(dir.resolve("missing.json")))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void passwdLinesAndGroupListsParse() {
        LocalUser u =
                LocalAccounts.parse("alice:x:1001:1001:Alice A,,,:/home/alice:/bin/bash", "1001 2000\n", "alice gpu\n");
        assertThat(u)
                .isEqualTo(new LocalUser(
                        "alice",
                        1001,
                        1001,
                        List.of(1001, 2000),
                        List.of("alice", "gpu"),
                        "Alice A,,,",
                        "/bin/bash",
                        "/home/alice"));
        assertThat(new LocalAccounts().byName("root"))
                .get()
                .extracting(LocalUser::uid)
                .isEqualTo(0);
        assertThat(new LocalAccounts().byName("no-such-user-gantry")).isEmpty();
    }

    static String external(Path program, double timeout) {
        return "[{\"DATA_TYPE\": \"external_identity_mapping#1.0.0\", \"command\": [\"" + program + "\"], \"timeout\": "
                + timeout + "}]";
    }

    static Path script(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }
}
