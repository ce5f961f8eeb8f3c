package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Running it yourself" block, run as printed by bash in the checkout with the real launcher, in a
 * fresh Gantry home (and {@code GANTRY_PORT=0}, so that it takes a free port): every command succeeds, the service
 * and the endpoint start in the background and stop.
 */
class ReadmeRunTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void runningItYourselfRunsAsPrinted() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Running it yourself"));
        String commands = SdkUseTest.block(section, "");
        assertThat(commands).contains("./gantry service start --detach").contains("./gantry service stop");
        Path home = Files.createTempDirectory("gantry-readme-");
        try {
            Path out = home.resolve("run.log");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -e\n" + commands)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("GANTRY_HOME", home.toString());
            pb.environment().put("GANTRY_NO_BUILD", "1");
            pb.environment().put("GANTRY_PORT", "0");
            Process p = pb.start();
            assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(out);
            assertThat(p.exitValue()).as(commands + "\n" + output).isZero();
            assertThat(output)
                    .contains("Gantry service listening on http://127.0.0.1:")
                    .containsPattern(">>> Endpoint ID: [0-9a-f-]{36} <<<")
                    .contains("laptop")
                    .contains("Stopped the service of");
            assertThat(home.resolve("service/service.pid")).doesNotExist();
        } finally {
            try (Stream<Path> all = Files.walk(home)) {
                for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
