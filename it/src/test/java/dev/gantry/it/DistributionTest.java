package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution as a user installs it: {@code ./gantry install --prefix DIR} unpacks the archive Maven built
 * ({@code bin/gantry}, {@code lib/gantry/}); the installed launcher runs from any directory and through a symlink,
 * starts and stops a service, prints the SDK's classpath inside the installation, and {@code enable-on-boot}
 * writes a unit that starts the installed copy.
 */
class DistributionTest {
    final Path root = Path.of("..").toAbsolutePath().normalize();
    final Path scratch = Files.createTempDirectory("gantry-dist-");

    DistributionTest() throws IOException {}

    record Run(int code, String output) {}

    Run run(Path cwd, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("GANTRY_HOME", scratch.resolve("home").toString());
        pb.environment().put("GANTRY_NO_BUILD", "1");
        pb.environment().remove("GANTRY_SERVICE_URL");
        pb.environment().remove("GANTRY_TOKEN");
        Path out = scratch.resolve("out-" + System.nanoTime());
        Process p = pb.redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    @Test
    void theInstalledCopyRunsFromAnyDirectoryAndItsUnitsPointAtIt() throws Exception {
        Path prefix = scratch.resolve("opt gantry");
        Run installed = run(root, root.resolve("gantry").toString(), "install", "--prefix", prefix.toString());
        assertThat(installed.code()).as(installed.output()).isZero();
        assertThat(installed.output()).contains("Installed Gantry under " + prefix);
        Path gantry = prefix.resolve("bin/gantry");
        assertThat(gantry).isExecutable();
        assertThat(prefix.resolve("lib/gantry")).isDirectory();

        Path elsewhere = Files.createDirectories(scratch.resolve("work"));
        Path link = Files.createSymbolicLink(elsewhere.resolve("gantry"), gantry);
        assertThat(run(elsewhere, link.toString(), "--version").output()).contains("gantry 0.1.0");
        Run sdk = run(elsewhere, gantry.toString(), "classpath", "sdk");
        List<String> jars = new ArrayList<>(
                List.of(sdk.output().lines().reduce((a, b) -> b).orElseThrow().split(":")));
        assertThat(jars)
                .hasSize(9)
                .allMatch(j -> j.startsWith(prefix.resolve("lib/gantry/sdk").toString()));

        Run started = run(elsewhere, gantry.toString(), "service", "start", "--port", "0", "--detach");
        try {
            assertThat(started.code()).as(started.output()).isZero();
            assertThat(started.output()).contains("Gantry service listening on http://");
            assertThat(run(elsewhere, gantry.toString(), "endpoint", "configure", "boot")
                            .code())
                    .isZero();
            Path units = scratch.resolve("units");
            Run unit = run(
                    elsewhere, gantry.toString(), "endpoint", "enable-on-boot", "boot", "--unit-dir", units.toString());
            assertThat(unit.code()).as(unit.output()).isZero();
            assertThat(Files.readString(units.resolve("gantry-endpoint-boot.service")))
                    .contains("ExecStart=\"" + gantry + "\" endpoint start boot")
                    .doesNotContain(".jar")
                    .doesNotContain(root.toString());
        } finally {
            Run stopped = run(elsewhere, gantry.toString(), "service", "stop");
            assertThat(stopped.output()).contains("Stopped the service");
        }
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> all = Files.walk(scratch)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
