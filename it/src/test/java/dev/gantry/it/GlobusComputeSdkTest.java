package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Globus Compute's SDK as its users run it, without the SDK (which cannot be installed here): the Python tests in
 * {@code python/tests} (pytest and dill from Debian) build payloads as it does and read results from the
 * per-group AMQP queue with pika as its Executor does, against a service and endpoints started as processes, on
 * the embedded default (Qpid inside the service) and on PostgreSQL + RabbitMQ. Each Python test is reported
 * with the others, in {@code target/surefire-reports*}{@code /TEST-pytest-*.xml}.
 */
class GlobusComputeSdkTest {
    record Issued(String identityId, String username, String token) {}

    static final String PYTHON = "/usr/bin/python3";

    @Test
    void thePythonTestsPassAgainstThisBackend() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Process probe = new ProcessBuilder(PYTHON, "-c", "import dill, pika, pytest").start();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0)
                .as("Debian's python3-dill, python3-pika and python3-pytest are needed: run .ci/system-packages")
                .isTrue();
        try (GantryProcesses gantry = new GantryProcesses()) {
            GantryHome.Credentials admin = gantry.startService("service.log", "--port", "0");
            Issued bob =
                    ServiceClient.of(admin).post("/v3/identities", Map.of("username", "bob@example.org"), Issued.class);
            gantry.configureEndpoint("gc", "process", 2, 30);
            gantry.configureEndpoint(
                    "no-dill",
                    "thread",
                    1,
                    30,
                    "allowed_serializers: [globus_compute_sdk.serialize.PureSourceTextInspect,"
                            + " globus_compute_sdk.serialize.JSONData]");
            Map<String, String> env = new HashMap<>();
            if ("root".equals(System.getProperty("user.name"))) {
                env.putAll(Map.of("OMPI_ALLOW_RUN_AS_ROOT", "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"));
            }
            gantry.startWith(gantry.home, env, "endpoint-gc.log", "endpoint", "start", "gc");
            gantry.start("endpoint-no-dill.log", "endpoint", "start", "no-dill");
            EndpointId gc = gantry.endpointId("endpoint-gc.log", Duration.ofSeconds(60));
            EndpointId noDill = gantry.endpointId("endpoint-no-dill.log", Duration.ofSeconds(60));

            String backend = TestBackend.production() ? "production" : "embedded";
            Path report = Files.createDirectories(Path.of("target", "surefire-reports"))
                    .resolve("TEST-pytest-" + backend + ".xml")
                    .toAbsolutePath();
            Path out = gantry.home.resolve("pytest.log");
            ProcessBuilder pb = new ProcessBuilder(
                            PYTHON,
                            "-m",
                            "pytest",
                            repo.resolve("python/tests").toString(),
                            "-q",
                            "-p",
                            "no:cacheprovider",
                            "-o",
                            "junit_suite_name=pytest-" + backend,
                            "--junitxml=" + report)
                    .directory(repo.resolve("python").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().remove("PYTHONPATH");
            pb.environment()
                    .putAll(Map.of(
                            "GANTRY_URL", admin.serviceUrl(),
                            "GANTRY_TOKEN", admin.token(),
                            "GANTRY_TOKEN_B", bob.token(),
                            "GANTRY_ENDPOINT", gc.toString(),
                            "GANTRY_ENDPOINT_NO_DILL", noDill.toString(),
                            "PYTHONDONTWRITEBYTECODE", "1"));
            if (admin.caFile() != null) { // the service's self-signed certificate, for Python's ssl and requests
                pb.environment().put("SSL_CERT_FILE", admin.caFile());
                pb.environment().put("REQUESTS_CA_BUNDLE", admin.caFile());
            }
            Process pytest = pb.start();
            boolean done = pytest.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                pytest.destroyForcibly();
            }
            String log = Files.readString(out);
            assertThat(done && pytest.exitValue() == 0)
                    .as("the Python tests against the %s backend:%n%s", backend, log)
                    .isTrue();
            assertThat(log).containsPattern("\\d+ passed");
            assertThat(List.of(log.split("\n")).getLast()).doesNotContain("failed", "error");
        }
    }
}
