package dev.gantry.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointHooksTest {
    @TempDir
    Path dir;

    private EndpointHooks hooks(String yaml) {
        return new EndpointHooks(EndpointConfig.parse(yaml.getBytes(), "test"), dir);
    }

    @Test
    void setupRunsInTheEndpointsDirectoryAndTeardownRunsOnce() throws Exception {
        EndpointHooks h = hooks("endpoint_setup: pwd > setup.out\nendpoint_teardown: echo x >> teardown.out\n");
        h.setup();
        assertThat(Files.readString(dir.resolve("setup.out")).strip())
                .isEqualTo(dir.toRealPath().toString());
        h.teardown();
        h.teardown(); // the shutdown hook and the normal stop both call it
        assertThat(Files.readString(dir.resolve("teardown.out"))).isEqualTo("x\n");
    }

    @Test
    void aFailingSetupSaysItsExitCodeAndLastLines() {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            many.append("echo line").append(i).append("; ");
        }
        EndpointHooks h = hooks("endpoint_setup: '" + many + "echo no java >&2; exit 3'\n");
        assertThatThrownBy(h::setup)
                .isInstanceOf(EndpointHooks.SetupFailed.class)
                .hasMessageStartingWith("endpoint_setup exited with code 3")
                .hasMessageContaining("line30 | no java")
                .hasMessageNotContaining("line20 ");
    }

    @Test
    void aFailingTeardownIsLoggedNotThrownAndNoHooksIsNothing() {
        hooks("endpoint_teardown: exit 9\n").teardown();
        EndpointHooks none = hooks("display_name: x\n");
        none.setup();
        none.teardown();
        assertThat(dir).isEmptyDirectory();
    }
}
