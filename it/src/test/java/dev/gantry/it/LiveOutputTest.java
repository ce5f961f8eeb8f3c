package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.it.fixtures.OutputFns;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.api.TaskOutput;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.sdk.PythonFunction;
import dev.gantry.sdk.ShellFunction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Live task output through real processes: what Java (thread and process engines), Python and shell tasks write
 * reaches the submitter's future within a second of the print, in order, each task's own lines only; it is kept
 * with the task for {@code gantry task logs}; and a task that prints 50 MB leaves the service's heap flat and the
 * kept log at its bound.
 */
class LiveOutputTest {
    static final int LINES = 10;
    static final Pattern LINE = Pattern.compile("(\\S+) (\\d+) at (\\d+)");

    /** A line as the submitter got it, and when. */
    record Seen(String line, long atMs) {}

    @Test
    void eachTaskWritesLinesTheSubmitterSeesWithinASecondInOrderAndUnmixed() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            GantryHome.Credentials creds = g.startService("service.log", "--port", "0");
            g.configureEndpoint("threads", "thread", 4, 1.0);
            g.configureEndpoint("processes", "process", 2, 1.0);
            g.start("endpoint-threads.log", "endpoint", "start", "threads");
            g.start("endpoint-processes.log", "endpoint", "start", "processes");
            EndpointId threads = g.endpointId("endpoint-threads.log", Duration.ofSeconds(60));
            EndpointId processes = g.endpointId("endpoint-processes.log", Duration.ofSeconds(60));
            Client client = Client.of(creds);
            Map<String, List<Seen>> seen = new ConcurrentHashMap<>();
            List<ComputeFuture<?>> futures = new ArrayList<>();
            Map<String, ComputeFuture<?>> byName = new ConcurrentHashMap<>();
            try (ComputeExecutor onThreads = executor(client, threads);
                    ComputeExecutor onProcesses = executor(client, processes)) {
                byName.put("javaA", onThreads.submit(OutputFns.ticker("javaA"), LINES));
                byName.put("javaB", onThreads.submit(OutputFns.ticker("javaB"), LINES));
                byName.put(
                        "python",
                        onThreads.submit(new PythonFunction(PY_TICKER, "tick"), Integer.class, "python", LINES));
                byName.put(
                        "shell",
                        onThreads.submit(new ShellFunction(
                                "for i in $(seq 0 " + (LINES - 1) + "); do echo \"shell $i at $(date +%s%3N)\";"
                                        + " [ $((i % 2)) = 1 ] && echo \"shell-err $i\" >&2; sleep 1; done")));
                byName.put("javaP", onProcesses.submit(OutputFns.ticker("javaP"), LINES));
                byName.put(
                        "pythonP",
                        onProcesses.submit(new PythonFunction(PY_TICKER, "tick"), Integer.class, "pythonP", LINES));
                byName.forEach((name, f) -> {
                    List<Seen> lines = new CopyOnWriteArrayList<>();
                    seen.put(name, lines);
                    f.onOutput(line -> lines.add(new Seen(line, System.currentTimeMillis())));
                    futures.add(f);
                });
                for (ComputeFuture<?> f : futures) {
                    f.get(90, TimeUnit.SECONDS);
                }
            }
            for (String name : List.of("javaA", "javaB", "python", "javaP", "pythonP", "shell")) {
                List<Seen> lines = seen.get(name);
                List<Seen> ticks = lines.stream()
                        .filter(s -> s.line().startsWith(name + " "))
                        .toList();
                assertThat(ticks).as(name + ": " + lines).hasSize(LINES);
                for (int i = 0; i < LINES; i++) {
                    Matcher m = LINE.matcher(ticks.get(i).line());
                    assertThat(m.matches()).as(ticks.get(i).line()).isTrue();
                    assertThat(m.group(2)).as(name + " in order").isEqualTo(Integer.toString(i));
                    long late = ticks.get(i).atMs() - Long.parseLong(m.group(3));
                    assertThat(late)
                            .as(name + " line " + i + " arrived " + late + " ms after its print")
                            .isLessThan(1000);
                }
                String other = name.equals("shell") ? "shell-err " : name + " ";
                assertThat(lines)
                        .as(name + " holds its own lines only")
                        .allMatch(
                                s -> s.line().startsWith(name + " ") || s.line().startsWith(other));
            }
            assertThat(seen.get("shell"))
                    .as("the shell task's standard error")
                    .anyMatch(s -> s.line().equals("shell-err 1"));

            String javaA = byName.get("javaA").taskId().toString();
            CliWatchTest.Run logs = CliWatchTest.run(g, "task", "logs", javaA);
            assertThat(logs.code()).as(logs.output()).isZero();
            assertThat(logs.output().lines().filter(l -> l.startsWith("javaA ")))
                    .hasSize(LINES);
            CliWatchTest.Run json = CliWatchTest.run(g, "task", "logs", javaA, "--json");
            assertThat(json.output()).contains("\"ended\":true").contains("\"offset\":0");
        }
    }

    @Test
    void aTaskThatIsStillRunningIsFollowedUntilItEnds() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            GantryHome.Credentials creds = g.startService("service.log", "--port", "0");
            g.configureEndpoint("follow", "thread", 1, 1.0);
            g.start("endpoint.log", "endpoint", "start", "follow");
            EndpointId id = g.endpointId("endpoint.log", Duration.ofSeconds(60));
            PrintStream stdout = System.out;
            ByteArrayOutputStream echoed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(echoed, true, StandardCharsets.UTF_8));
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(Client.of(creds))
                    .endpointId(id)
                    .echoOutput(true)
                    .build()) {
                ComputeFuture<Integer> f = ex.submit(OutputFns.ticker("followed"), 4);
                String task = Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(f::taskId, java.util.Objects::nonNull)
                        .toString();
                CliWatchTest.Run followed = CliWatchTest.run(g, "task", "logs", task, "--follow");
                assertThat(f.isDone())
                        .as("--follow returns when the task ended")
                        .isTrue();
                assertThat(followed.code()).isZero();
                assertThat(followed.output().lines().filter(l -> l.startsWith("followed ")))
                        .hasSize(4);
                CliWatchTest.Run missing =
                        CliWatchTest.run(g, "task", "logs", UUID.randomUUID().toString());
                assertThat(missing.code()).isEqualTo(2);
                assertThat(missing.output()).contains("not found");
                assertThat(echoed.toString(StandardCharsets.UTF_8))
                        .as("echoed by the executor")
                        .containsPattern("\\[" + task + "] followed 3 at \\d+");
            } finally {
                System.setOut(stdout);
            }
        }
    }

    @Test
    void aTaskPrinting50MegabytesLeavesTheServiceHeapFlatAndItsLogAtTheBound() throws Exception {
        long bound = 256 * 1024;
        try (GantryProcesses g = new GantryProcesses()) {
            GantryHome.Credentials creds =
                    g.startService("service.log", "--port", "0", "--output-kept-bytes", Long.toString(bound));
            g.configureEndpoint("chatty", "thread", 2, 1.0);
            g.start("endpoint.log", "endpoint", "start", "chatty");
            EndpointId id = g.endpointId("endpoint.log", Duration.ofSeconds(60));
            long service = g.process("service.log").pid();
            Client client = Client.of(creds);
            try (ComputeExecutor ex = executor(client, id)) {
                assertThat(ex.submit(OutputFns.ticker("warm"), 1).get(60, TimeUnit.SECONDS))
                        .isEqualTo(1);
                long before = usedHeapAfterGc(service);
                ComputeFuture<Integer> chatty = ex.submit(OutputFns.chatty(), 50);
                // half a million lines: a copy-on-write list would make this listener the bottleneck
                List<String> lines = Collections.synchronizedList(new ArrayList<>());
                chatty.onOutput(lines::add);
                ComputeFuture<Integer> quiet = ex.submit(OutputFns.ticker("quiet"), 2);
                assertThat(quiet.get(60, TimeUnit.SECONDS))
                        .as("a quiet task beside it")
                        .isEqualTo(2);
                assertThat(chatty.get(120, TimeUnit.SECONDS)).isEqualTo(50 * 1024 * 1024 / 100);
                long after = usedHeapAfterGc(service);
                System.out.printf(
                        "live output: service heap after a full GC %d KiB before and %d KiB after a task printed 50 MiB%n",
                        before / 1024, after / 1024);
                assertThat(after - before)
                        .as("service heap after GC: %d KiB before, %d KiB after", before / 1024, after / 1024)
                        .isLessThan(24L * 1024 * 1024);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("chatty done"));
                synchronized (lines) {
                    assertThat(lines).anyMatch(l -> l.matches("\\[gantry: \\d+ bytes of output dropped]"));
                }

                TaskOutput kept = client.getTaskOutput(chatty.taskId(), 0);
                assertThat(kept.ended()).isTrue();
                assertThat(kept.next() - kept.offset()).as("kept bytes").isBetween(bound - 200, bound);
                assertThat(kept.text()).endsWith("chatty done\n");
                assertThat(kept.offset()).as("what was dropped").isGreaterThan(40L * 1024 * 1024);
            }
        }
    }

    /** The used heap of process {@code pid} after a full GC, from {@code jcmd}, in bytes. */
    static long usedHeapAfterGc(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true)
                .start();
        gc.getInputStream().readAllBytes();
        assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Process info = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                .redirectErrorStream(true)
                .start();
        String out = new String(info.getInputStream().readAllBytes());
        assertThat(info.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("used (\\d+)K").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Long.parseLong(m.group(1)) * 1024;
    }

    static ComputeExecutor executor(Client client, EndpointId id) {
        return ComputeExecutor.builder()
                .client(client)
                .endpointId(id)
                .batchSize(1)
                .build();
    }

    static final String PY_TICKER = """
            import sys, time
            def tick(name, n):
                for i in range(n):
                    out = sys.stdout if i % 2 == 0 else sys.stderr
                    print(f"{name} {i} at {int(time.time() * 1000)}", file=out)
                    time.sleep(1)
                return n
            """;
}
