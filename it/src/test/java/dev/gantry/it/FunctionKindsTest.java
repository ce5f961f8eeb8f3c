package dev.gantry.it;

import static dev.gantry.it.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.gantry.client.Trust;
import dev.gantry.it.fixtures.KindFns;
import dev.gantry.it.fixtures.MathFns;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.sdk.MPIFunction;
import dev.gantry.sdk.PythonFunction;
import dev.gantry.sdk.RemoteFunction0;
import dev.gantry.sdk.ShellFunction;
import dev.gantry.sdk.ShellResult;
import dev.gantry.sdk.TaskExecutionFailed;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of function through a real service and endpoint processes (a process engine with worker JVMs):
 * Java lambdas, method references and objects, two versions of one class, a third-party jar the endpoint
 * lacks, Java source, shell, a real 2-rank OpenMPI program, a Python-source vector written by hand, and the
 * limits and refusals around them. The endpoint runs with {@code GANTRY_TASK_TIMEOUT} and admits Java native
 * serialization; a second endpoint admits only Java bundles and shell functions, with JSON arguments.
 */
class FunctionKindsTest {
    static final String TIMEOUT_S = "4";
    static GantryProcesses gantry;
    static Client client;
    static EndpointId endpoint;
    static EndpointId strict;
    static ComputeExecutor ex;

    @BeforeAll
    static void start() throws Exception {
        gantry = new GantryProcesses();
        GantryHome.Credentials creds = gantry.startService("service.log", "--port", "0");
        client = Client.of(creds);
        gantry.configureEndpoint(
                "kinds",
                "process",
                2,
                30,
                "allowed_serializers: [java_bundle, java_source, python_source, shell, java_native]");
        gantry.configureEndpoint("strict", "process", 0, 30, "allowed_serializers: [java_bundle, shell]");
        Map<String, String> env = new HashMap<>(Map.of("GANTRY_TASK_TIMEOUT", TIMEOUT_S));
        if ("root".equals(System.getProperty("user.name"))) {
            env.putAll(Map.of("OMPI_ALLOW_RUN_AS_ROOT", "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"));
        }
        gantry.startWith(gantry.home, env, "endpoint-kinds.log", "endpoint", "start", "kinds");
        gantry.start("endpoint-strict.log", "endpoint", "start", "strict");
        endpoint = gantry.endpointId("endpoint-kinds.log", Duration.ofSeconds(60));
        strict = gantry.endpointId("endpoint-strict.log", Duration.ofSeconds(60));
        ex = ComputeExecutor.builder().client(client).endpointId(endpoint).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ex != null) {
            ex.shutdownNow();
        }
        gantry.close();
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void javaLambdasMethodReferencesAndObjectsRunAndCanBeRunByIdFromAnotherClient() throws Exception {
        assertThat(get(ex.submit(KindFns.adder(40), 2))).isEqualTo(42);
        assertThat(get(ex.submit(KindFns.adder(-1), 2)))
                .as("another captured value, another function")
                .isEqualTo(1);
        assertThat(get(ex.submit(KindFns.UPPER, "gantry"))).isEqualTo("GANTRY");
        assertThat(get(ex.submit(new KindFns.Scale(3), 5))).isEqualTo(15);
        FunctionId id = ex.registerFunction(new KindFns.Scale(7));
        GantryHome.Credentials creds = gantry.gantryHome().readCredentials().orElseThrow();
        try (ComputeExecutor other = ComputeExecutor.builder()
                .client(Client.of(creds))
                .endpointId(endpoint)
                .build()) {
            assertThat(get(other.submitToRegisteredFunction(id, Integer.class, 6)))
                    .isEqualTo(42);
        }
        String where = get(ex.submit(KindFns.WHERE));
        String[] parts = where.split(" ");
        assertThat(parts[1]).endsWith("/" + parts[0]).as("the sandbox is named after the task");
    }

    @Test
    void twoVersionsOfOneClassRunSideBySide() throws Exception {
        RemoteFunction0<String> v1 = versioned("v1");
        RemoteFunction0<String> v2 = versioned("v2");
        assertThat(v1.getClass().getName())
                .isNotEqualTo(v2.getClass().getName())
                .startsWith("iso.Job");
        List<ComputeFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            results.add(ex.submit(v1));
            results.add(ex.submit(v2));
        }
        for (int i = 0; i < results.size(); i++) {
            assertThat(get(results.get(i))).isEqualTo(i % 2 == 0 ? "v1" : "v2");
        }
    }

    /** Compiles {@code iso.Greeter} (returning {@code version}) and a function using it, in a loader of their own. */
    private static RemoteFunction0<String> versioned(String version) throws Exception {
        Path dir = Files.createTempDirectory(gantry.home, "iso-" + version);
        Path src = Files.createDirectories(dir.resolve("src/iso"));
        Files.writeString(
                src.resolve("Greeter.java"),
                "package iso;\npublic class Greeter {\n" + "  public static String hello() { return \"" + version
                        + "\"; }\n}\n");
        Files.writeString(
                src.resolve("Job.java"),
                "package iso;\nimport dev.gantry.sdk.RemoteFunction0;\n"
                        + "public class Job {\n  public static RemoteFunction0<String> fn() { return () -> Greeter.hello(); }\n}\n");
        Path out = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler()
                .run(
                        null,
                        null,
                        null,
                        "-d",
                        out.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        src.resolve("Greeter.java").toString(),
                        src.resolve("Job.java").toString());
        assertThat(rc).isZero();
        URLClassLoader loader = new URLClassLoader(
                "user-" + version, new URL[] {out.toUri().toURL()}, FunctionKindsTest.class.getClassLoader());
        @SuppressWarnings("unchecked")
        RemoteFunction0<String> fn = (RemoteFunction0<String>)
                loader.loadClass("iso.Job").getMethod("fn").invoke(null);
        return fn;
    }

    @Test
    void aFunctionUsingAThirdPartyJarTheEndpointLacksRuns() throws Exception {
        assertThat(get(ex.submit(KindFns.MATH3_ON_WORKER)))
                .as("commons-math3 is not on the worker's class path")
                .isFalse();
        assertThat(get(ex.submit(MathFns.NEXT_PRIME, 90))).isEqualTo(97);
    }

    @Test
    void javaSourceIsCompiledOnTheEndpointAndACompileErrorShowsTheDiagnostics() throws Exception {
        FunctionId ok = ex.registerSourceCode(
                "package demo;\npublic class Sq {\n  public static long sq(long x) {" + " return x * x; }\n}\n",
                "demo.Sq::sq");
        assertThat(get(ex.submitToRegisteredFunction(ok, Long.class, 12L))).isEqualTo(144L);
        FunctionId bad =
                ex.registerSourceCode("public class Bad {\n  public static int f() { return \"x\"; }\n}\n", "Bad::f");
        TaskExecutionFailed e = failure(ex.submitToRegisteredFunction(bad, Integer.class));
        assertThat(e.code()).isEqualTo(FailureCode.COMPILE_ERROR);
        assertThat(e.remoteStackTrace()).contains("Bad.java:2").contains("incompatible types");
    }

    @Test
    void shellFunctionsFillPlaceholdersAppendOutputFilesAndAreKilledAtTheirWalltime() throws Exception {
        Path log = gantry.home.resolve("shell-out/run.log");
        ShellFunction echo = new ShellFunction(
                "echo {greeting} $GANTRY_TASK_ID; pwd; exit 3", log.toString(), null, 0, 1000, "greet", false);
        ShellResult first = get(ex.submit(echo, Map.of("greeting", "hello")));
        ShellResult second = get(ex.submit(echo, Map.of("greeting", "again")));
        assertThat(first.returncode()).as("a non-zero exit is a result").isEqualTo(3);
        assertThat(first.exceptionName()).isEqualTo("subprocess.CalledProcessError");
        assertThat(second.stdout())
                .as("the snippet is the file's last lines")
                .startsWith("hello ")
                .contains("\nagain ");
        assertThat(Files.readString(log).lines().filter(l -> l.startsWith("hello") || l.startsWith("again")))
                .hasSize(2);
        assertThat(client.getFunction(client.registerFunction(echo)).functionName())
                .isEqualTo("greet");

        long start = System.nanoTime();
        ShellResult killed = get(ex.submit(new ShellFunction("sleep 30", 1, 10)));
        assertThat(killed.returncode()).isEqualTo(124);
        assertThat(killed.exceptionName()).isEqualTo("subprocess.TimeoutExpired");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aTwoRankOpenMpiProgramRunsUnderTheLauncher() throws Exception {
        for (String tool : List.of("mpicc", "mpiexec")) {
            assertThat(onPath(tool))
                    .as(tool + " (OpenMPI: openmpi-bin, libopenmpi-dev) is missing; .ci/system-packages"
                            + " installs it")
                    .isTrue();
        }
        Path dir = Files.createTempDirectory(gantry.home, "mpi");
        Files.writeString(dir.resolve("ranks.c"), """
                #include <mpi.h>
                #include <stdio.h>
                int main(int argc, char **argv) {
                  int rank, size, mine, sum;
                  MPI_Init(&argc, &argv);
                  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
                  MPI_Comm_size(MPI_COMM_WORLD, &size);
                  mine = rank + 1;
                  MPI_Allreduce(&mine, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
                  printf("rank %d of %d sum %d\\n", rank, size, sum);
                  MPI_Finalize();
                  return 0;
                }
                """);
        Process cc = new ProcessBuilder("mpicc", "-o", "ranks", "ranks.c")
                .directory(dir.toFile())
                .inheritIO()
                .start();
        assertThat(cc.waitFor()).isZero();

        try (ComputeExecutor mpi =
                ComputeExecutor.builder().client(client).endpointId(endpoint).build()) {
            assertThatThrownBy(() -> mpi.submit(new MPIFunction("true")))
                    .hasMessageContaining("resource specification");
            mpi.resourceSpecification(Map.of("num_ranks", 2));
            ShellResult r = get(mpi.submit(new MPIFunction(dir.resolve("ranks") + "")));
            assertThat(r.returncode()).as(r.stderr()).isZero();
            assertThat(r.stdout().lines().sorted()).containsExactly("rank 0 of 2 sum 3", "rank 1 of 2 sum 3");
            assertThat(r.cmd()).isEqualTo(dir.resolve("ranks").toString());

            mpi.resourceSpecification(Map.of("num_nodes", 2, "ranks_per_node", 1));
            TaskExecutionFailed twoNodes = failure(mpi.submit(new MPIFunction("hostname")));
            assertThat(twoNodes.code()).isEqualTo(FailureCode.COULD_NOT_EXECUTE_TASK);
            assertThat(twoNodes.getMessage() + twoNodes.remoteStackTrace()).contains("asks for 2 nodes");
        }
        SubmitRequest bad = new SubmitRequest(
                null,
                true,
                Map.of(
                        client.registerFunction(new MPIFunction("true")).toString(),
                        List.of(dev.gantry.protocol.payload.Arguments.of(List.of())
                                .pack())),
                null,
                dev.gantry.protocol.Json.mapper().readTree("{\"num_ranks\": 2, \"cores\": 4}"),
                null,
                null);
        assertThatThrownBy(() -> client.batchRun(endpoint, bad))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("unknown key 'cores'")
                .satisfies(e -> assertThat(((GantryException) e).code()).isEqualTo(ApiError.SEMANTICALLY_INVALID));
    }

    private static boolean onPath(String tool) {
        return java.util.stream.Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** Buffers written by hand from Globus Compute's framing: what its Python SDK sends for these calls. */
    @Test
    void aPythonSourceVectorRunsUnchanged() throws Exception {
        String code = "39\nst\nadd:def add(a, b):\n    return a + b\n";
        FunctionId add = client.register(new FunctionRegistration("add", code, null, null));
        Map<String, List<String>> tasks =
                Map.of(add.toString(), List.of("9\n11\n[2, 3]5\n11\n{}", "8\n11\n[\"x\"]13\n11\n{\"b\": \"y\"}"));
        List<String> json = List.of("globus_compute_sdk.serialize.JSONData");
        List<TaskId> ids = client.batchRun(endpoint, new SubmitRequest(null, true, tasks, null, null, null, json))
                .tasks()
                .get(add.toString());
        assertThat(awaitDone(ids.get(0)).result()).isEqualTo("11\n5");
        assertThat(awaitDone(ids.get(1)).result()).isEqualTo("11\n\"xy\"");
        TaskId byDefault = client.batchRun(endpoint, new SubmitRequest(null, true, tasks, null, null, null, null))
                .tasks()
                .get(add.toString())
                .get(0);
        assertThat(awaitDone(byDefault).result())
                .as("Globus Compute's default result serializer is dill, as its SDK's worker gives it")
                .isEqualTo("00\ngARLBS4=\n");
        PythonFunction fails = new PythonFunction("def f(x):\n    return 1 / x\n", "f");
        TaskExecutionFailed e = failure(ex.submit(fails, Integer.class, 0));
        assertThat(e.remoteType()).isEqualTo("ZeroDivisionError");
        assertThat(e.remoteStackTrace()).contains("Traceback");
    }

    private static TaskStatus awaitDone(TaskId id) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> client.getTask(id), s -> !s.pending());
    }

    @Test
    void userExceptionsAndInfrastructureFailuresAreTold() throws Exception {
        TaskExecutionFailed user = failure(ex.submit(KindFns.BOOM, 7));
        assertThat(user.code()).isEqualTo(FailureCode.REMOTE_EXECUTION_ERROR);
        assertThat(user.remoteType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(user.remoteStackTrace()).contains("boom 7").contains("KindFns");
        ComputeFuture<Integer> halted = ex.submit(KindFns.HALT);
        TaskExecutionFailed lost = failure(halted);
        assertThat(lost.code()).isEqualTo(FailureCode.WORKER_LOST);
        assertThat(lost.remoteType()).isEqualTo("WorkerLost");
        List<TaskStatus.Attempt> attempts =
                client.getTask(halted.taskId()).details().attempts();
        assertThat(attempts)
                .as("a poison task stops after the default 2 retries, each attempt in its history")
                .extracting(TaskStatus.Attempt::attempt)
                .containsExactly(1, 2);
        assertThat(attempts).allMatch(a -> a.errorCode() == FailureCode.WORKER_LOST);
        assertThat(get(ex.submit(KindFns.adder(1), 1)))
                .as("the worker was replaced")
                .isEqualTo(2);
    }

    @Test
    void aTaskPastGantryTaskTimeoutFailsWithTaskTimeout() throws Exception {
        long start = System.nanoTime();
        TaskExecutionFailed e = failure(ex.submit(KindFns.NAP, 60_000L));
        assertThat(e.code()).isEqualTo(FailureCode.TASK_TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(get(ex.submit(KindFns.NAP, 10L))).isEqualTo(10L);
    }

    @Test
    void aPayloadOver10MbAndAResultOver10MibAreRefusedWithTheirCodes() throws Exception {
        GantryHome.Credentials creds = gantry.gantryHome().readCredentials().orElseThrow();
        FunctionId upper = ex.registerFunction(KindFns.UPPER);
        String head = "{\"tasks\":{\"" + upper + "\":[\"";
        String tail = "\"]}}";
        String body = head + "x".repeat(10_000_001 - head.length() - tail.length()) + tail;
        assertThat(body.length()).isEqualTo(10_000_001);
        HttpResponse<String> r = HttpClient.newBuilder()
                .sslContext(Trust.context(creds.caFile() == null ? null : Path.of(creds.caFile())))
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(creds.serviceUrl() + "/v3/endpoints/" + endpoint + "/submit"))
                                .header("Authorization", "Bearer " + creds.token())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("TASK_PAYLOAD_TOO_LARGE");

        int limit = dev.gantry.protocol.Limits.MAX_RESULT_CHARS;
        String atLimit = get(ex.submit(KindFns.CHARS, limit - 5));
        assertThat(atLimit).hasSize(limit - 5).as("the result buffer '11\\n\"...\"' is exactly the limit");
        TaskExecutionFailed e = failure(ex.submit(KindFns.CHARS, limit - 4));
        assertThat(e.code()).isEqualTo(FailureCode.MAX_RESULT_SIZE_EXCEEDED);
    }

    @Test
    void anEndpointRefusesFunctionsAndArgumentsOfAKindItDoesNotAllowBeforeDecodingThem() throws Exception {
        try (ComputeExecutor s = ComputeExecutor.builder()
                        .client(client)
                        .endpointId(strict)
                        .build();
                ComputeExecutor sNative = ComputeExecutor.builder()
                        .client(client)
                        .endpointId(strict)
                        .javaSerialization(true)
                        .build()) {
            FunctionId source =
                    s.registerSourceCode("public class One {\n  public static int f() { return 1; }\n}\n", "One::f");
            TaskExecutionFailed e = failure(s.submitToRegisteredFunction(source, Integer.class));
            assertThat(e.code()).isEqualTo(FailureCode.SERIALIZER_NOT_ALLOWED);
            assertThat(e.getMessage() + e.remoteStackTrace()).contains("'js'");
            TaskExecutionFailed py =
                    failure(s.submit(new PythonFunction("def two():\n    return 2\n", "two"), Integer.class));
            assertThat(py.code()).isEqualTo(FailureCode.SERIALIZER_NOT_ALLOWED);
            TaskExecutionFailed nat = failure(sNative.submit(KindFns.adder(1), 1));
            assertThat(nat.code()).isEqualTo(FailureCode.SERIALIZER_NOT_ALLOWED);
            assertThat(nat.getMessage() + nat.remoteStackTrace()).contains("'jn'");
            assertThat(get(s.submit(KindFns.adder(1), 1)))
                    .as("JSON arguments pass")
                    .isEqualTo(2);
            assertThat(get(s.submit(new ShellFunction("echo allowed"))).stdout())
                    .isEqualTo("allowed\n");
        }
    }

    @Test
    void javaNativeSerializationCarriesWhatJsonCannotWhereBothEndsOptIn() throws Exception {
        KindFns.Opaque value = new KindFns.Opaque(21);
        assertThatThrownBy(() -> ex.submit(KindFns.DOUBLE_OPAQUE, value))
                .as("JSON cannot carry it")
                .isInstanceOf(RuntimeException.class);
        try (ComputeExecutor nat = ComputeExecutor.builder()
                .client(client)
                .endpointId(endpoint)
                .javaSerialization(true)
                .build()) {
            assertThat(get(nat.submit(KindFns.DOUBLE_OPAQUE, value))).isEqualTo(new KindFns.Opaque(42));
            assertThat(get(nat.submit(KindFns.adder(1), 1))).isEqualTo(2);
        }
    }
}
