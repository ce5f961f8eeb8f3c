package dev.gantry.it;

import static dev.gantry.it.Outcomes.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gantry.it.fixtures.FaultFns;
import dev.gantry.it.fixtures.KindFns;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeExecutorBuilder;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.sdk.TaskExecutionFailed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection suite (reliability-security.md §3.1): each test runs real processes (the service, an
 * endpoint, worker JVMs), injects one fault for real (kill -9, SIGTERM, a partition or a lost reply through
 * {@link FaultProxy}), counts the tasks submitted, ended, lost, answered twice and re-run, and writes its row
 * with {@link FaultLedger}. Every row must show 0 lost and 0 duplicate results.
 */
class ReliabilityTest {
    static GantryProcesses gantry;
    static GantryHome.Credentials creds;
    static String serviceUrl;
    static String token;
    static int servicePort;

    @BeforeAll
    static void start() throws Exception {
        gantry = new GantryProcesses();
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            servicePort = s.getLocalPort();
        }
        creds = startService("service.log");
        serviceUrl = creds.serviceUrl();
        token = creds.token();
    }

    @AfterAll
    static void stop() throws Exception {
        gantry.close();
    }

    /** The service, always on the same port, so that clients and endpoints find it again after a restart. */
    static GantryHome.Credentials startService(String log) throws Exception {
        return gantry.startService(log, "--port", Integer.toString(servicePort));
    }

    private static Client client() {
        return Client.of(creds);
    }

    private final List<ComputeExecutor> executors = new ArrayList<>();

    /** An executor shut down after the test (without waiting: a failed test must not hang on its futures). */
    private ComputeExecutor executor(Client client, EndpointId id, Integer maxRetries) {
        ComputeExecutorBuilder b = ComputeExecutor.builder().client(client).endpointId(id);
        if (maxRetries != null) {
            b.maxRetries(maxRetries);
        }
        ComputeExecutor ex = b.build();
        executors.add(ex);
        return ex;
    }

    @AfterEach
    void shutDownExecutors() {
        executors.forEach(ComputeExecutor::shutdownNow);
        executors.clear();
    }

    private static Process startEndpoint(String name, String log) throws Exception {
        Process p = gantry.start(log, "endpoint", "start", name);
        gantry.endpointId(log, Duration.ofSeconds(60));
        return p;
    }

    private static EndpointId idOf(String log) {
        return gantry.endpointId(log, Duration.ofSeconds(1));
    }

    private static void kill9(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.onExit().join();
    }

    private static Path marksDir(String name) throws Exception {
        return Files.createDirectories(gantry.home.resolve("marks-" + name));
    }

    /** How many tasks ran more than once, from the marks their runs left. */
    private static long reRuns(Path dir) throws Exception {
        Path marks = dir.resolve("marks");
        if (!Files.exists(marks)) {
            return 0;
        }
        Map<String, Long> runs = Files.readAllLines(marks).stream()
                .filter(l -> !l.isBlank())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return runs.values().stream().filter(n -> n > 1).count();
    }

    private static long marks(Path dir) throws Exception {
        Path marks = dir.resolve("marks");
        return Files.exists(marks) ? Files.readAllLines(marks).size() : 0;
    }

    /** Counts of a workload whose tasks return their own id: ended, and answered with another task's result. */
    private record Tally(long ended, long wrong) {}

    private static Tally awaitAll(List<ComputeFuture<String>> futures, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        long ended = 0;
        long wrong = 0;
        for (ComputeFuture<String> f : futures) {
            try {
                String v = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                ended++;
                if (!v.equals(String.valueOf(f.taskId()))) {
                    wrong++;
                }
            } catch (Exception e) {
                // not ended in time: counted as lost
            }
        }
        return new Tally(ended, wrong);
    }

    private static void record(String fault, List<ComputeFuture<String>> futures, Tally t, Path marks, String figure)
            throws Exception {
        long reRun = reRuns(marks);
        FaultLedger.record(fault, futures.size(), t.ended(), futures.size() - t.ended(), t.wrong(), reRun, figure);
        assertThat(t.ended()).as("tasks ended").isEqualTo(futures.size());
        assertThat(t.wrong()).as("duplicate or crossed results").isZero();
    }

    @Test
    void r01_killMinus9OfTheEndpointWhile500TasksOf200MsRun() throws Exception {
        gantry.configureEndpoint("r1", "thread", 64, 1.0);
        Process ep = startEndpoint("r1", "r1-a.log");
        Path dir = marksDir("r1");
        ComputeExecutor ex = executor(client(), idOf("r1-a.log"), 3);
        {
            List<ComputeFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                futures.add(ex.submit(FaultFns.MARK, dir.toString(), 200L));
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> marks(dir) >= 150);
            kill9(ep);
            long killed = System.nanoTime();
            long doneAtKill = futures.stream().filter(ComputeFuture::isDone).count();
            startEndpoint("r1", "r1-b.log");
            Tally t = awaitAll(futures, Duration.ofSeconds(120));
            long recoverMs = (System.nanoTime() - killed) / 1_000_000;
            record(
                    "R1 kill -9 of the endpoint while 500 tasks of 200 ms run (thread engine, 64 workers)",
                    futures,
                    t,
                    dir,
                    doneAtKill + " done at the kill; all done " + recoverMs + " ms after it (restart included)");
        }
    }

    @Test
    void r02_r03_aKilledWorkerIsRetriedOrFailsWithWorkerLost() throws Exception {
        gantry.configureEndpoint("r2", "process", 2, 1.0);
        startEndpoint("r2", "r2.log");
        EndpointId id = idOf("r2.log");
        Path dir = marksDir("r2");
        for (int retries : new int[] {2, 0}) {
            ComputeExecutor ex = executor(client(), id, retries);
            {
                ComputeFuture<String> victim = ex.submit(FaultFns.PID, dir.toString(), 3000L);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> victim.taskId() != null && Files.exists(dir.resolve(victim.taskId() + ".pid")));
                long pid = Long.parseLong(Files.readString(dir.resolve(victim.taskId() + ".pid")));
                ComputeFuture<String> bystander = ex.submit(FaultFns.MARK, dir.toString(), 10L);
                long start = System.nanoTime();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                List<TaskStatus.Attempt> attempts;
                if (retries > 0) {
                    assertThat(victim.get(60, TimeUnit.SECONDS))
                            .isEqualTo(victim.taskId().toString());
                    attempts = client().getTask(victim.taskId()).details().attempts();
                    assertThat(attempts)
                            .extracting(TaskStatus.Attempt::errorCode)
                            .containsExactly(FailureCode.WORKER_LOST);
                    FaultLedger.record(
                            "R2 kill -9 of a worker mid-task, retries 2",
                            2,
                            2,
                            0,
                            0,
                            1,
                            "succeeded at"
                                    + " attempt 2, " + (System.nanoTime() - start) / 1_000_000 + " ms after the kill;"
                                    + " attempt 1 in its history as WORKER_LOST");
                } else {
                    TaskExecutionFailed e = failure(victim);
                    assertThat(e.code()).isEqualTo(FailureCode.WORKER_LOST);
                    assertThat(e.remoteStackTrace()).contains("exited while running the task");
                    FaultLedger.record(
                            "R3 kill -9 of a worker mid-task, retries 0",
                            2,
                            2,
                            0,
                            0,
                            0,
                            "failed with" + " WORKER_LOST " + (System.nanoTime() - start) / 1_000_000
                                    + " ms after the kill");
                }
                assertThat(bystander.get(60, TimeUnit.SECONDS))
                        .as("other tasks go on")
                        .isNotNull();
            }
        }
    }

    @Test
    void r04_r05_aWorkerThatExitsIsToldAndAPoisonTaskStopsAtItsLimit() throws Exception {
        gantry.configureEndpoint("r5", "process", 1, 1.0);
        startEndpoint("r5", "r5.log");
        ComputeExecutor ex = executor(client(), idOf("r5.log"), 2);
        {
            long start = System.nanoTime();
            ComputeFuture<Integer> poison = ex.submit(KindFns.HALT);
            TaskExecutionFailed e = failure(poison);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(e.code()).isEqualTo(FailureCode.WORKER_LOST);
            assertThat(e.remoteStackTrace()).contains("exit code 3");
            List<TaskStatus.Attempt> attempts =
                    client().getTask(poison.taskId()).details().attempts();
            assertThat(attempts).extracting(TaskStatus.Attempt::attempt).containsExactly(1, 2);
            assertThat(ex.submit(KindFns.adder(1), 1).get(60, TimeUnit.SECONDS)).isEqualTo(2);
            FaultLedger.record(
                    "R4 worker exits (Runtime.halt(3)) in user code",
                    1,
                    1,
                    0,
                    0,
                    0,
                    "WORKER_LOST with 'exit code 3'; the worker is replaced");
            FaultLedger.record(
                    "R5 poison task that kills its worker every time, retries 2",
                    1,
                    1,
                    0,
                    0,
                    1,
                    "failed after 3 attempts in " + ms + " ms, each in its history");
        }
    }

    @Test
    void r13_r14_anEndpointStoppedGracefullyMidBurstAndOfflineAtSubmitLosesNothing() throws Exception {
        gantry.configureEndpoint("r14", "thread", 8, 1.0);
        Process ep = startEndpoint("r14", "r14-a.log");
        Path dir = marksDir("r14");
        ComputeExecutor ex = executor(client(), idOf("r14-a.log"), null);
        {
            List<ComputeFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                futures.add(ex.submit(FaultFns.MARK, dir.toString(), 50L));
                if (i == 100) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> marks(dir) >= 20);
                    ep.destroy(); // SIGTERM: the endpoint drains and stops
                }
            }
            assertThat(ep.waitFor(60, TimeUnit.SECONDS)).isTrue();
            long whileDown = futures.stream().filter(f -> !f.isDone()).count();
            startEndpoint("r14", "r14-b.log");
            Tally t = awaitAll(futures, Duration.ofSeconds(120));
            record(
                    "R13/R14 SIGTERM of the endpoint during a 300-task burst; the rest submitted while it is down",
                    futures,
                    t,
                    dir,
                    whileDown + " tasks waited for the endpoint's return");
        }
    }

    @Test
    void r15_aPartitionWithoutACloseLosesNothingAndCompletesNothingTwice() throws Exception {
        try (FaultProxy proxy = new FaultProxy(servicePort)) {
            gantry.configureEndpoint("r15", "thread", 32, 0.5, "service_url: " + proxy.url());
            startEndpoint("r15", "r15.log");
            EndpointId id = idOf("r15.log");
            Path dir = marksDir("r15");
            ComputeExecutor ex = executor(client(), id, 3);
            {
                List<ComputeFuture<String>> futures = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    futures.add(ex.submit(FaultFns.MARK, dir.toString(), 1500L));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> marks(dir) >= 32);
                proxy.blackhole(true);
                long cut = System.nanoTime();
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> client().getEndpointStatus(id).status().equals("offline"));
                long offlineMs = (System.nanoTime() - cut) / 1_000_000;
                // the service takes the tasks back once the lease expires
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> futures.stream()
                                .anyMatch(f -> f.taskId() != null
                                        && !client().getTask(f.taskId())
                                                .details()
                                                .attempts()
                                                .isEmpty()));
                proxy.blackhole(false);
                Tally t = awaitAll(futures, Duration.ofSeconds(120));
                long takenBack = futures.stream()
                        .filter(f -> f.taskId() != null
                                && !client().getTask(f.taskId())
                                        .details()
                                        .attempts()
                                        .isEmpty())
                        .count();
                record(
                        "R12/R15 partition endpoint-service without a close until leases expire (heartbeat 0.5 s)",
                        futures,
                        t,
                        dir,
                        "offline " + offlineMs + " ms after the cut; " + takenBack + " tasks taken back when their"
                                + " lease expired, each ended once after the heal");
                assertThat(takenBack).as("leases expired during the partition").isPositive();
            }
        }
    }

    @Test
    void r11_aSubmitWhoseReplyIsLostIsRetriedWithoutDuplicates() throws Exception {
        gantry.configureEndpoint("r11", "thread", 4, 1.0);
        startEndpoint("r11", "r11.log");
        Path dir = marksDir("r11");
        try (FaultProxy proxy = new FaultProxy(servicePort)) {
            ComputeExecutor ex = executor(
                    Client.of(new GantryHome.Credentials(proxy.url(), token, creds.caFile())), idOf("r11.log"), null);
            ex.registerFunction(FaultFns.MARK);
            proxy.dropResponses(1); // the next answer is the submit's
            List<ComputeFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(ex.submit(FaultFns.MARK, dir.toString(), 1L));
            }
            Tally t = awaitAll(futures, Duration.ofSeconds(60));
            TaskGroupId group = ex.taskGroupId();
            int stored = client().getTaskGroup(group).tasks().size();
            assertThat(stored)
                    .as("tasks stored for 10 submitted, one reply lost")
                    .isEqualTo(10);
            record(
                    "R11 the reply to a committed submit is lost; the SDK retries with its idempotency key",
                    futures,
                    t,
                    dir,
                    stored + " tasks stored for 10 submitted");
        }
    }

    @Test
    void r17_aClientThatGoesAwayReattachesToItsTaskGroupLater() throws Exception {
        gantry.configureEndpoint("r17", "thread", 4, 1.0);
        startEndpoint("r17", "r17.log");
        EndpointId id = idOf("r17.log");
        Path dir = marksDir("r17");
        ComputeExecutor gone =
                ComputeExecutor.builder().client(client()).endpointId(id).build();
        for (int i = 0; i < 50; i++) {
            gone.submit(FaultFns.MARK, dir.toString(), 100L);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gone.taskGroupId() != null && gone.outstanding() < 50);
        TaskGroupId group = gone.taskGroupId();
        gone.shutdownNow(); // the client goes away with tasks running
        ComputeExecutor later = executor(client(), id, null);
        {
            List<ComputeFuture<String>> futures = later.reloadTasks(group, String.class);
            Tally t = awaitAll(futures, Duration.ofSeconds(60));
            assertThat(futures).hasSize(50);
            record(
                    "R17 the submitting client goes away; a new client reloads the task group",
                    futures,
                    t,
                    dir,
                    "a fresh Client and executor: reloadTasks(group) gave all " + futures.size() + " results");
        }
    }

    @Test
    void r09_killMinus9OfTheServiceWithTasksQueuedAndRunning() throws Exception {
        gantry.configureEndpoint("r9", "thread", 16, 1.0);
        startEndpoint("r9", "r9.log");
        Path dir = marksDir("r9");
        ComputeExecutor ex = executor(client(), idOf("r9.log"), 3);
        {
            List<ComputeFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(ex.submit(FaultFns.MARK, dir.toString(), 100L));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> marks(dir) >= 30 && futures.stream().allMatch(f -> f.taskId() != null));
            kill9(gantry.process("service.log"));
            long killed = System.nanoTime();
            startService("service-2.log");
            Tally t = awaitAll(futures, Duration.ofSeconds(120));
            record(
                    "R9 kill -9 of the service with tasks queued and running (embedded: its in-process queue is lost too)",
                    futures,
                    t,
                    dir,
                    "all done " + (System.nanoTime() - killed) / 1_000_000 + " ms after the kill (restart included)");
        }
    }
}
