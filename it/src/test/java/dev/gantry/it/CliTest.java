package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint commands as a user types them: configure, start --detach, list, stop, and bad names. */
class CliTest {

    @Test
    void endpointLifecycleFromTheCommandLine() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            g.start("service.log", "service", "start", "--port", "0");
            g.await("service.log", "listening on (http://\\S+)", Duration.ofSeconds(60));
            assertThat(g.run("endpoint", "configure", "cli-ep")).contains("Created endpoint cli-ep");
            assertThat(Files.readString(g.home.resolve("endpoints/cli-ep/config.yaml"))).contains("type: process");
            assertThat(g.run("gep", "list")).containsPattern("-\\s+Initialized\\s+cli-ep");
            String started = g.run("endpoint", "start", "cli-ep", "--detach");
            assertThat(started).containsPattern(">>> Endpoint ID: [0-9a-f-]{36} <<<");
            assertThat(g.run("endpoint", "list")).containsPattern("[0-9a-f-]{36}\\s+Running\\s+cli-ep");
            assertThat(g.run("endpoint", "stop", "cli-ep")).contains("stopped");
            assertThat(g.run("endpoint", "list")).containsPattern("[0-9a-f-]{36}\\s+Stopped\\s+cli-ep");
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
            assertThat(Files.readString(g.home.resolve("missing.log"))).contains("is not configured");
        }
    }
}
