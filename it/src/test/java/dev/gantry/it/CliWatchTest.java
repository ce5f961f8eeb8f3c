package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;
import dev.gantry.sdk.ShellFunction;
import dev.gantry.sdk.ShellResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The commands to run the service in the background and to watch and steer tasks and endpoints, as processes:
 * their output and exit codes; {@code task watch} on a pseudo-terminal ({@code script}).
 */
class CliWatchTest {

    record Run(int code, String output) {}

    static Run run(GantryProcesses g, String... args) throws Exception {
        String log = "cli-" + System.nanoTime() + ".log";
        Process p = g.start(log, args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(g.home.resolve(log)));
    }

    @Test
    void theServiceRunsInTheBackgroundSaysItsStatusAndStops() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            Run started = run(g, "service", "start", "--port", "0", "--detach");
            assertThat(started.code()).as(started.output()).isZero();
            assertThat(started.output())
                    .containsPattern("Gantry service listening on https?://\\S+ \\(in the background");
            Run again = run(g, "service", "start", "--port", "0");
            assertThat(again.code()).isEqualTo(2);
            assertThat(again.output()).contains("is already running (pid").doesNotContain("h2");
            Run status = run(g, "service", "status");
            assertThat(status.code()).isZero();
            assertThat(status.output()).contains("runs here as pid").contains("answers (version 0.1.0)");
            assertThat(run(g, "service", "stop").output()).contains("Stopped the service of");
            Run down = run(g, "service", "status");
            assertThat(down.code()).isEqualTo(3);
            assertThat(down.output()).contains("No service of").contains("is it running?");
            Run list = run(g, "task", "list");
            assertThat(list.code()).isEqualTo(2);
            assertThat(list.output()).contains("gantry service start --detach").doesNotContain("\tat ");
        }
    }

    @Test
    void everyCommandGroupHasHelp() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            for (String cmd : List.of(
                    "service",
                    "service start",
                    "service stop",
                    "service status",
                    "endpoint",
                    "gep",
                    "endpoint start",
                    "endpoint restart",
                    "endpoint delete",
                    "endpoint status",
                    "task",
                    "task list",
                    "task status",
                    "task watch",
                    "task logs",
                    "task cancel",
                    "jshell")) {
                List<String> args = new ArrayList<>(List.of(cmd.split(" ")));
                args.add("--help");
                Run r = run(g, args.toArray(String[]::new));
                assertThat(r.code()).as(cmd).isZero();
                assertThat(r.output()).as(cmd).startsWith("Usage: gantry " + cmd.replace("gep", "endpoint"));
            }
        }
    }

    @Test
    void tasksAreListedShownAndWatchedAndEndpointsSteeredByNameOrUuid() throws Exception {
        try (GantryProcesses g = new GantryProcesses()) {
            GantryHome.Credentials creds = g.startService("service.log", "--port", "0");
            g.configureEndpoint("watched", "thread", 2, 1.0);
            String started = g.run("endpoint", "start", "watched", "--detach");
            String id = started.replaceAll("(?s).*>>> Endpoint ID: (\\S+) <<<.*", "$1")
                    .trim();
            Run byId = run(g, "endpoint", "status", id);
            assertThat(byId.code()).as(byId.output()).isZero();
            assertThat(byId.output()).contains(": online").contains("your tasks now: none");

            String group;
            String failed;
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(Client.of(creds))
                    .endpointId(id)
                    .build()) {
                List<ComputeFuture<ShellResult>> fs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    fs.add(ex.submit(new ShellFunction("sleep 0.4; echo done " + i)));
                }
                group = org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(ex::taskGroupId, java.util.Objects::nonNull)
                        .toString();
                Path out = g.home.resolve("watch.out");
                Process watch = new ProcessBuilder(
                                "script", "-qec", command(g, "task", "watch", "--group", group), "/dev/null")
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                assertThat(watch.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String screen = Files.readString(out);
                assertThat(watch.exitValue()).as(screen).isZero();
                assertThat(screen.split("\r").length)
                        .as("the bar is redrawn: " + screen)
                        .isGreaterThan(2);
                assertThat(screen).contains("[##############################]  6/6  success 6");
                assertThat(screen).containsPattern("6 tasks ended in [0-9.]+ s: success 6");
                for (ComputeFuture<ShellResult> f : fs) {
                    assertThat(f.get(30, TimeUnit.SECONDS).returncode()).isZero();
                }
                ComputeFuture<ShellResult> three = ex.submit(new ShellFunction("exit 3"));
                assertThat(three.get(30, TimeUnit.SECONDS).returncode()).isEqualTo(3);
                failed = three.taskId().toString();
            }

            Run list = run(g, "task", "list", "--endpoint", "watched");
            assertThat(list.code()).isZero();
            assertThat(list.output()).contains("7 tasks: success 7");
            Run json = run(g, "task", "list", "--group", group, "--json");
            assertThat(json.output()).contains("\"total\":7").contains("\"counts\":{\"success\":7}");
            Run status = run(g, "task", "status", failed);
            assertThat(status.code()).isZero();
            assertThat(status.output())
                    .contains("Task " + failed + ": success")
                    .containsPattern("received\\s+\\d{4}-\\d\\d-\\d\\d")
                    .contains("\"returncode\":3");
            assertThat(run(g, "task", "status", failed, "--json").output()).startsWith("{\"task_id\":\"" + failed);

            Run typo = run(g, "endpoint", "stop", "wacthed");
            assertThat(typo.code()).isEqualTo(2);
            assertThat(typo.output()).contains("no endpoint named wacthed here");
            Run restart = run(g, "endpoint", "restart", id);
            assertThat(restart.output()).contains("Endpoint watched stopped.").contains(">>> Endpoint ID: " + id);
            Run noYes = run(g, "endpoint", "delete", "watched");
            assertThat(noYes.code()).isEqualTo(2);
            assertThat(noYes.output()).contains("add --yes");
            Run deleted = run(g, "endpoint", "delete", "watched", "--yes");
            assertThat(deleted.output()).contains("Deleted endpoint watched (" + id + ")");
            assertThat(g.home.resolve("endpoints/watched")).doesNotExist();
            assertThat(run(g, "endpoint", "status", id).output()).contains("not found");
        }
    }

    /** A shell command line that runs the CLI as {@link GantryProcesses} does, with the test's home. */
    static String command(GantryProcesses g, String... args) {
        StringBuilder b = new StringBuilder("GANTRY_HOME=" + g.home + " '"
                + ProcessHandle.current().info().command().orElseThrow() + "' -cp '"
                + GantryProcesses.gantryClassPath() + "' " + dev.gantry.cli.Main.class.getName());
        for (String a : args) {
            b.append(" '").append(a).append("'");
        }
        return b.toString();
    }
}
