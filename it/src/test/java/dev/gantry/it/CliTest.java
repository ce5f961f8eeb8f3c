package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The endpoint commands as a user types them: configure, start --detach, list, stop, and bad names. */
class CliTest {

    @Test
    void endpointLifecycleFromTheCommandLine() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            g.start("service.log", "service", "start", "--port", "0");
            g.await("service.log", "listening on (https?://\\S+)", Duration.ofSeconds(60));
            assertThat(g.run("endpoint", "configure", "cli-ep")).contains("Created endpoint cli-ep");
            assertThat(Files.readString(g.home.resolve("endpoints/cli-ep/config.yaml")))
                    .contains("type: process");
            assertThat(g.run("gep", "list")).containsPattern("-\\s+Initialized\\s+cli-ep");
            String started = g.run("endpoint", "start", "cli-ep", "--detach");
            assertThat(started).containsPattern(">>> Endpoint ID: [0-9a-f-]{36} <<<");
            assertThat(g.run("endpoint", "list")).containsPattern("[0-9a-f-]{36}\\s+Running\\s+cli-ep");
            assertThat(g.run("endpoint", "stop", "cli-ep")).contains("stopped");
            assertThat(g.run("endpoint", "list")).containsPattern("[0-9a-f-]{36}\\s+Stopped\\s+cli-ep");

            // stopped through the service, wherever it runs: it stops, and cannot connect again while locked
            Process running = g.start("cli-ep.log", "endpoint", "start", "cli-ep");
            g.await("cli-ep.log", "(connected) to https", Duration.ofSeconds(60));
            assertThat(g.run("endpoint", "stop", "--remote", "cli-ep"))
                    .containsPattern("Endpoint cli-ep \\([0-9a-f-]{36}\\) is locked until 20\\S+; its running"
                            + " instances stop within a heartbeat");
            assertThat(running.waitFor(60, TimeUnit.SECONDS))
                    .as("the endpoint exits")
                    .isTrue();
            assertThat(Files.readString(g.home.resolve("cli-ep.log"))).contains("locked");
        }
    }

    @Test
    void endpointSetupRunsBeforeTheStartAndStopsItIfItFailsAndTeardownRunsAtTheStop() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            g.start("service.log", "service", "start", "--port", "0");
            g.await("service.log", "listening on (https?://\\S+)", Duration.ofSeconds(60));
            g.run("endpoint", "configure", "hooked", "--engine", "thread");
            Path dir = g.home.resolve("endpoints/hooked");
            Files.writeString(
                    dir.resolve("config.yaml"),
                    "endpoint_setup: echo set up > setup.out\n" + "endpoint_teardown: echo torn down > teardown.out\n",
                    StandardOpenOption.APPEND);
            assertThat(g.run("endpoint", "start", "hooked", "--detach")).contains(">>> Endpoint ID:");
            assertThat(dir.resolve("setup.out")).hasContent("set up");
            assertThat(dir.resolve("teardown.out")).doesNotExist();
            assertThat(g.run("endpoint", "stop", "hooked")).contains("stopped");
            assertThat(dir.resolve("teardown.out")).hasContent("torn down");

            g.run("endpoint", "configure", "broken", "--engine", "thread");
            Files.writeString(
                    g.home.resolve("endpoints/broken/config.yaml"),
                    "endpoint_setup: echo module java/99 not found; exit 3\n",
                    StandardOpenOption.APPEND);
            Process p = g.start("broken.log", "endpoint", "start", "broken");
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(78);
            assertThat(Files.readString(g.home.resolve("broken.log")))
                    .contains("endpoint broken did not start: endpoint_setup exited with code 3")
                    .contains("module java/99 not found");
            assertThat(g.run("endpoint", "list")).containsPattern("Stopped\\s+broken|Initialized\\s+broken");
        }
    }

    @Test
    void badNamesAndUnknownEndpointsAreRefusedWithAReason() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            Process p = g.start("bad.log", "endpoint", "configure", "../evil");
            assertThat(p.waitFor()).isEqualTo(2);
            assertThat(Files.readString(g.home.resolve("bad.log"))).contains("not a valid endpoint name");
            Process q = g.start("missing.log", "endpoint", "start", "nothing-here");
            assertThat(q.waitFor()).isEqualTo(2);
            assertThat(Files.readString(g.home.resolve("missing.log")))
                    .contains("no endpoint named nothing-here here")
                    .contains("gantry endpoint configure nothing-here");
        }
    }

    @Test
    void managerFilesOfflineRenderingSystemdUnitsAndIdentities() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            g.start("service.log", "service", "start", "--port", "0");
            g.await("service.log", "listening on (https?://\\S+)", Duration.ofSeconds(60));
            assertThat(g.run("endpoint", "configure", "site", "--multi-user"))
                    .contains("Created endpoint manager site")
                    .contains("identity_mapping.json");
            java.nio.file.Path dir = g.home.resolve("endpoints/site");
            assertThat(Files.readString(dir.resolve("config.yaml")))
                    .contains("public: true")
                    .doesNotContain("engine");
            for (String f : new String[] {
                "user_config_template.yaml.j2",
                "user_config_schema.json",
                "user_environment.yaml",
                "example_identity_mapping_config.json"
            }) {
                assertThat(dir.resolve(f)).exists();
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(dir.resolve(f))))
                        .isEqualTo("rw-------");
            }
            assertThat(g.run("endpoint", "configure", "mine", "--manager")).doesNotContain("identity_mapping.json");
            assertThat(Files.readString(g.home.resolve("endpoints/mine/config.yaml")))
                    .contains("public: false");

            java.nio.file.Path opts = g.home.resolve("opts.json");
            Files.writeString(opts, "{\"max_workers\": 3}");
            String rendered = g.run("endpoint", "render-user-config", "-e", "site", "-o", opts.toString());
            assertThat(rendered)
                    .contains("max_workers: 3")
                    .contains("type: process")
                    .contains("idle_heartbeats_soft: 10");
            Files.writeString(opts, "{\"max_workers\": \"lots\"}");
            Process bad =
                    g.start("render-bad.log", "endpoint", "render-user-config", "-e", "site", "-o", opts.toString());
            assertThat(bad.waitFor()).isEqualTo(2);
            assertThat(Files.readString(g.home.resolve("render-bad.log")))
                    .contains("schema")
                    .contains("max_workers");
            java.nio.file.Path tpl = g.home.resolve("t.yaml.j2");
            Files.writeString(tpl, "account: {{ mapped_identity.local.uname }}\njava: {{ user_runtime.java_major }}\n");
            assertThat(g.run("endpoint", "render-user-config", "-t", tpl.toString()))
                    .contains("account: " + System.getProperty("user.name"))
                    .contains("java: " + Runtime.version().feature());

            java.nio.file.Path units = g.home.resolve("units");
            assertThat(g.run("endpoint", "enable-on-boot", "site", "--unit-dir", units.toString()))
                    .contains("systemctl daemon-reload && systemctl enable --now gantry-endpoint-site.service");
            String unit = Files.readString(units.resolve("gantry-endpoint-site.service"));
            assertThat(unit)
                    .contains("ExecStart=")
                    .contains("dev.gantry.cli.Main endpoint start site")
                    .contains("Environment=GANTRY_HOME=" + g.home)
                    .contains("Restart=always")
                    .contains("WantedBy=multi-user.target");
            Process twice = g.start("twice.log", "endpoint", "enable-on-boot", "site", "--unit-dir", units.toString());
            assertThat(twice.waitFor()).isEqualTo(2);
            assertThat(g.run("endpoint", "disable-on-boot", "site", "--unit-dir", units.toString()))
                    .contains("Removed");
            assertThat(units.resolve("gantry-endpoint-site.service")).doesNotExist();

            String added = g.run("service", "add-identity", "alice@example.org");
            assertThat(added)
                    .containsPattern("identity [0-9a-f-]{36} alice@example.org")
                    .containsPattern("token gty_\\S+");
            assertTokenCommands(g);

            if ("root"
                    .equals(System.getProperty("user.name"))) { // as root the manager is multi-user and needs a mapping
                Process noMapping = g.start("no-mapping.log", "endpoint", "start", "site");
                assertThat(noMapping.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                assertThat(noMapping.exitValue()).isEqualTo(2);
                assertThat(Files.readString(g.home.resolve("no-mapping.log")))
                        .contains("cannot read the identity mapping");
            }
        }
    }

    /** {@code service token}: made for alice, listed without its secret, rotated, revoked, a bad lifetime refused. */
    private static void assertTokenCommands(GantryProcesses g) throws Exception {
        String made = g.run("service", "token", "create", "alice@example.org", "--name", "laptop", "--expires", "2h");
        Matcher m = Pattern.compile("token (gty_\\S+)\\s+id ([0-9a-f]{16}) for alice@example.org, expires 20")
                .matcher(made);
        assertThat(m.find()).as(made).isTrue();
        String listed = g.run("service", "token", "list", "--all");
        assertThat(listed).contains(m.group(2)).contains("laptop").doesNotContain(m.group(1));
        String rotated = g.run("service", "token", "rotate", m.group(2));
        Matcher r = Pattern.compile("id ([0-9a-f]{16}) for alice").matcher(rotated);
        assertThat(r.find()).as(rotated).isTrue();
        assertThat(g.run("service", "token", "list", "--all"))
                .doesNotContain(m.group(2))
                .contains(r.group(1));
        assertThat(g.run("service", "token", "revoke", r.group(1))).contains("Revoked token " + r.group(1));
        Process bad = g.start("bad-expiry.log", "service", "token", "create", "--expires", "soon");
        assertThat(bad.waitFor()).isEqualTo(2);
        assertThat(Files.readString(g.home.resolve("bad-expiry.log"))).contains("--expires takes");
        Process gone = g.start("gone.log", "service", "token", "revoke", r.group(1));
        assertThat(gone.waitFor()).isEqualTo(2);
        assertThat(Files.readString(g.home.resolve("gone.log"))).contains("no token " + r.group(1));
    }
}
