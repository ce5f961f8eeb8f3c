package dev.gantry.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.sdk.fixtures.Fns;
import dev.gantry.sdk.fixtures.Globals;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The executor against a real service and endpoint in this JVM. */
class ComputeExecutorTest {
    static InProcessGantry gantry;

    @BeforeAll
    static void start() throws Exception {
        gantry = new InProcessGantry();
    }

    @AfterAll
    static void stop() throws Exception {
        gantry.close();
    }

    private static <T> T get(ComputeFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void runsLambdasMethodReferencesAndObjectsWithTypedArgumentsAndResults() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            ComputeFuture<String> hello = ex.submit(Fns.HELLO, "you");
            assertThat(get(hello)).isEqualTo("Hello, you!");
            assertThat(hello.taskId()).isNotNull();
            assertThat(get(ex.submit(Fns.ADD, 2, 3))).isEqualTo(5);
            assertThat(get(ex.submit(Fns.NORM, new Fns.Point(3, 4)))).isEqualTo(5.0);
            assertThat(get(ex.submit(Fns.RANGE, 4))).containsExactly(0, 1, 2, 3);
            assertThat(get(ex.submit(new Fns.Multiplier(3), 7))).isEqualTo(21);
            assertThat(get(ex.submit(Fns.JAVA_VERSION))).isEqualTo(System.getProperty("java.version"));
        }
    }

    @Test
    void capturedValuesTravelWithTheLambdaAndMakeDistinctFunctions() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            assertThat(get(ex.submit(Fns.adder(10), 5))).isEqualTo(15);
            assertThat(get(ex.submit(Fns.adder(20), 5))).isEqualTo(25);
            assertThat(ex.registerFunction(Fns.adder(10)))
                    .isEqualTo(ex.registerFunction(Fns.adder(10)))
                    .isNotEqualTo(ex.registerFunction(Fns.adder(20)));
        }
    }

    @Test
    void staticStateTheFunctionReadsArrivesAsItIsWhenSubmitted() throws Exception {
        int before = Globals.offset;
        try (ComputeExecutor ex = gantry.executor()) {
            Globals.offset = 100;
            Globals.greeting = "hi";
            assertThat(get(ex.submit(Globals.addOffset(), 1))).isEqualTo(101);
            assertThat(get(ex.submit(Globals.greet(), "you"))).isEqualTo("hi, you");
            Globals.offset = 200;
            assertThat(get(ex.submit(Globals.addOffset(), 1))).isEqualTo(201);
        } finally {
            Globals.offset = before;
            Globals.greeting = null;
        }
    }

    @Test
    void aRemoteExceptionCarriesTheRemoteClassAndStackTrace() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            ComputeFuture<Integer> f = ex.submit(Fns.BOOM, 7);
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(TaskExecutionFailed.class, e -> {
                        assertThat(e.code()).isEqualTo(FailureCode.REMOTE_EXECUTION_ERROR);
                        assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(e.remoteStackTrace()).contains("boom 7").contains("Fns.boom");
                        assertThat(e.taskId()).isEqualTo(f.taskId());
                    });
            TaskStatus s = gantry.client.getTask(f.taskId());
            assertThat(s.status()).isEqualTo("failed");
            assertThat(s.exception()).contains("boom 7");
        }
    }

    @Test
    void shellFunctionsReturnTheirOutputAndExitCode() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            ShellResult r = get(ex.submit(new ShellFunction("echo hi; echo oops >&2; echo $GANTRY_TASK_ID; exit 3")));
            assertThat(r.returncode()).isEqualTo(3);
            assertThat(r.stdout()).startsWith("hi\n");
            assertThat(r.stderr()).isEqualTo("oops\n");
            assertThat(r.exceptionName()).isEqualTo("subprocess.CalledProcessError");
            ShellResult named = get(ex.submit(new ShellFunction("echo {who} {{x}}"), Map.of("who", "Ada")));
            assertThat(named.stdout()).isEqualTo("Ada {x}\n");
            ShellResult slow = get(ex.submit(new ShellFunction("sleep 5", 0.3, 10)));
            assertThat(slow.returncode()).isEqualTo(124);
        }
    }

    @Test
    void manyTasksEachCompleteWithTheirOwnResult() throws Exception {
        List<ComputeFuture<Integer>> futures = new ArrayList<>();
        try (ComputeExecutor ex = gantry.executor()) {
            for (int i = 0; i < 3000; i++) {
                futures.add(ex.submit(Fns.IDENTITY, i));
            }
        }
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i)).as("close() waits for every future").isDone();
            assertThat(futures.get(i).join()).isEqualTo(i);
        }
        List<TaskId> ids =
                futures.subList(0, 50).stream().map(ComputeFuture::taskId).toList();
        Map<TaskId, TaskStatus> batch = gantry.client.getBatchResult(ids);
        assertThat(batch).hasSize(50);
        assertThat(batch.values()).allMatch(s -> s.status().equals("success") && !s.pending());
        assertThat(gantry.client.getResult(ids.get(7), Integer.class)).isEqualTo(7);
    }

    @Test
    void shutdownNowCancelsWhatWasNotSent() throws Exception {
        ComputeExecutor ex = ComputeExecutor.builder()
                .client(gantry.client)
                .endpointId(gantry.endpointId)
                .batchSize(1)
                .build();
        List<ComputeFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            futures.add(ex.submit(Fns.IDENTITY, i));
        }
        int cancelled = ex.shutdownNow();
        assertThat(cancelled).isPositive();
        assertThat(futures.stream().filter(ComputeFuture::isCancelled).count()).isEqualTo(cancelled);
        assertThatThrownBy(() -> ex.submit(Fns.IDENTITY, 1)).hasMessageContaining("shut down");
        assertThatThrownBy(() -> futures.get(futures.size() - 1).join()).isInstanceOf(CancellationException.class);
    }

    @Test
    void tasksSubmittedBeforeTheirFunctionWasDeletedStillRun() throws Exception {
        dev.gantry.protocol.FunctionId fn = gantry.client.registerFunction(Fns.adder(1));
        var later = gantry.client.register(new dev.gantry.protocol.api.FunctionRegistration(
                "later", gantry.client.getFunction(fn).functionCode(), null, null));
        try (var offline = gantry.endpoint("offline")) {
            var eid = gantry.client
                    .http()
                    .post(
                            "/v3/endpoints",
                            new dev.gantry.protocol.api.EndpointRegistration("offline", null, null, false, false, null),
                            dev.gantry.protocol.api.EndpointRegistered.class)
                    .endpointId();
            java.nio.file.Files.createDirectories(gantry.home.resolve("endpoints/offline"));
            dev.gantry.endpoint.EndpointDir.of(new dev.gantry.protocol.GantryHome(gantry.home), "offline")
                    .saveEndpointId(eid);
            TaskId task = gantry.client.run(eid, later, 41);
            gantry.client.deleteFunction(later);
            offline.start();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> !gantry.client.getTask(task).pending());
            assertThat(gantry.client.getResult(task, Integer.class)).isEqualTo(42);
        }
    }

    @Test
    void pythonAndJavaSourceFunctionsRunThroughTheServiceAndEndpoint() throws Exception {
        try (ComputeExecutor ex = gantry.executor()) {
            PythonFunction add = new PythonFunction("def add(a, b):\n    return a + b\n", "add");
            assertThat(get(ex.submit(add, Integer.class, 2, 3))).isEqualTo(5);
            PythonFunction boom = new PythonFunction("def boom(x):\n    raise KeyError(x)\n", "boom");
            ComputeFuture<Integer> failed = ex.submit(boom, Integer.class, "k");
            assertThatThrownBy(() -> failed.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(TaskExecutionFailed.class, e -> {
                        assertThat(e.remoteType()).isEqualTo("KeyError");
                        assertThat(e.remoteStackTrace()).contains("Traceback").contains("KeyError: 'k'");
                    });
            var fn = ex.registerSourceCode(
                    "public class Greeter {\n  public static String greet(String n) {" + " return \"Hi \" + n; }\n}\n",
                    "Greeter::greet");
            assertThat(get(ex.submitToRegisteredFunction(fn, String.class, "Ada")))
                    .isEqualTo("Hi Ada");
            var broken = ex.registerSourceCode("public class Broken { int x = ; }", "Broken::f");
            ComputeFuture<String> f = ex.submitToRegisteredFunction(broken, String.class);
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(TaskExecutionFailed.class, e -> {
                        assertThat(e.code()).isEqualTo(FailureCode.COMPILE_ERROR);
                        assertThat(e.remoteStackTrace()).contains("Broken.java:1: error:");
                    });
        }
    }

    @Test
    void anEndpointRefusesKindsOfFunctionItDoesNotAllowBeforeDecodingThem() throws Exception {
        try (var pythonOnly = gantry.endpoint("python-only", java.util.List.of("python_source"))) {
            var id = pythonOnly.start();
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(gantry.client)
                    .endpointId(id)
                    .build()) {
                ComputeFuture<String> java = ex.submit(Fns.HELLO, "x");
                assertThatThrownBy(() -> java.get(30, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOfSatisfying(TaskExecutionFailed.class, e -> {
                            assertThat(e.code()).isEqualTo(FailureCode.SERIALIZER_NOT_ALLOWED);
                            assertThat(e.remoteStackTrace())
                                    .contains("java_bundle")
                                    .contains("allowed_serializers");
                        });
                PythonFunction py = new PythonFunction("def one():\n    return 1\n", "one");
                assertThat(get(ex.submit(py, Integer.class))).isEqualTo(1);
            }
        }
    }

    @Test
    void allowedFunctionsAreCheckedByTheServiceAndAgainByTheEndpoint() throws Exception {
        FunctionId allowed = gantry.client.registerFunction(Fns.adder(1));
        FunctionId other = gantry.client.registerFunction(Fns.HELLO);
        try (var listed = gantry.endpoint("listed", null, List.of(allowed))) {
            EndpointId id = listed.start();
            assertThat(gantry.client.getAllowedFunctions(id).functions()).containsExactly(allowed);
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(gantry.client)
                    .endpointId(id)
                    .build()) {
                ComputeFuture<String> refused = ex.submitToRegisteredFunction(other, String.class, "x");
                assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOfSatisfying(
                                dev.gantry.client.ApiException.class,
                                e -> assertThat(e.code()).isEqualTo(ApiError.FUNCTION_NOT_PERMITTED));
                assertThat(get(ex.submitToRegisteredFunction(allowed, Integer.class, 41)))
                        .isEqualTo(42);
            }
        }
        // an endpoint whose list the service does not know (as a user endpoint's from its template) refuses alone
        var reg = gantry.client
                .http()
                .post(
                        "/v3/endpoints",
                        new dev.gantry.protocol.api.EndpointRegistration("unlisted", null, null, false, false, null),
                        dev.gantry.protocol.api.EndpointRegistered.class);
        try (var strict = gantry.endpoint("unlisted", null, List.of(allowed))) {
            strict.startRegistered(reg.endpointId(), reg.channelPath());
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(gantry.client)
                    .endpointId(reg.endpointId())
                    .build()) {
                ComputeFuture<String> refused = ex.submitToRegisteredFunction(other, String.class, "x");
                assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOfSatisfying(TaskExecutionFailed.class, e -> {
                            assertThat(e.code()).isEqualTo(FailureCode.FUNCTION_NOT_ALLOWED);
                            assertThat(e.remoteStackTrace()).contains(other + " is not permitted on endpoint");
                        });
                assertThat(get(ex.submitToRegisteredFunction(allowed, Integer.class, 1)))
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void theEndpointReportsItselfOnline() {
        var status = gantry.client.getEndpointStatus(gantry.endpointId);
        assertThat(status.status()).isEqualTo("online");
        assertThat(status.details().totalWorkers()).isEqualTo(4);
        assertThat(status.details().engineType()).isEqualTo("thread");
    }

    @Test
    void aCaptureThatIsNotJsonIsRefusedWithAClearMessage() {
        Object notJson = new Object();
        RemoteFunction0<String> fn = () -> String.valueOf(notJson);
        try (ComputeExecutor ex = gantry.executor()) {
            assertThatThrownBy(() -> ex.submit(fn))
                    .isInstanceOf(dev.gantry.protocol.GantryException.class)
                    .hasMessageContaining("cannot be sent as JSON");
        }
    }

    @Test
    void unknownEndpointFailsTheFutureWithItsCode() {
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(gantry.client)
                .endpointId("00000000-0000-4000-8000-000000000000")
                .build()) {
            ComputeFuture<Integer> f = ex.submit(Fns.IDENTITY, 1);
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(
                            dev.gantry.client.ApiException.class,
                            e -> assertThat(e.code()).isEqualTo(ApiError.ENDPOINT_NOT_FOUND));
        }
    }
}
