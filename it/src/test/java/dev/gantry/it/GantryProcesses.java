package dev.gantry.it;

import dev.gantry.cli.Main;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.TestBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts Gantry as a user would, as separate OS processes running the {@code gantry} CLI, in a fresh
 * Gantry home; keeps each process's output in a file there, and removes everything on close. Every service
 * it starts serves HTTPS with the certificate it makes for itself ({@code GANTRY_TLS_SELF_SIGNED}), so every
 * process (endpoints, managers, user endpoints, the CLI, the SDK here) talks to it over TLS.
 */
final class GantryProcesses implements AutoCloseable {
    /** What the services of these tests speak. */
    static final String SCHEME = "https";

    final Path home = Files.createTempDirectory("gantry-it-");
    final TestBackend backend = TestBackend.create();
    private final List<Process> started = new ArrayList<>();
    private final Map<String, Process> byLog = new java.util.concurrent.ConcurrentHashMap<>();

    GantryProcesses() throws IOException {}

    /** Runs {@code gantry args...} in the background; its output goes to {@code <home>/<log>}. */
    Process start(String log, String... args) throws IOException {
        return startIn(home, log, args);
    }

    /**
     * Runs {@code gantry args...} with {@code gantryHome} as its Gantry home (a second service instance has a
     * home of its own) and the test backend's settings in its environment.
     */
    Process startIn(Path gantryHome, String log, String... args) throws IOException {
        return startWith(gantryHome, Map.of(), log, args);
    }

    /** As {@link #startIn}, with {@code env} added to the process's environment. */
    Process startWith(Path gantryHome, Map<String, String> env, String log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp",
                gantryClassPath(),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(home.resolve(log).toFile()));
        pb.environment().putAll(backend.environment());
        pb.environment().put("GANTRY_TLS_SELF_SIGNED", "true");
        pb.environment().putAll(env);
        pb.environment().put("GANTRY_HOME", gantryHome.toString());
        Process p = pb.start();
        started.add(p);
        byLog.put(log, p);
        return p;
    }

    /**
     * This JVM's classpath without the tests' own classes and the libraries only users have: Gantry's
     * processes must get those from what the SDK ships, as on a real endpoint.
     */
    static String gantryClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("test-classes") && USER_ONLY.stream().noneMatch(e::contains))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** Jars on the tests' classpath that an endpoint must not have. */
    static final List<String> USER_ONLY = List.of("commons-math3");

    /** Runs {@code gantry service start args...}, waits until it listens, and returns the local credentials. */
    GantryHome.Credentials startService(String log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("service", "start"));
        cmd.addAll(List.of(args));
        start(log, cmd.toArray(String[]::new));
        await(log, "listening on (https?://\\S+)", Duration.ofSeconds(60));
        return gantryHome().readCredentials().orElseThrow();
    }

    /**
     * Runs {@code gantry endpoint configure NAME} with an engine and its workers, sets the heartbeat period, and
     * appends {@code yaml} lines to the endpoint's config.
     */
    void configureEndpoint(String name, String engine, int workers, double heartbeat, String... yaml) throws Exception {
        run("endpoint", "configure", name, "--engine", engine, "--max-workers", Integer.toString(workers));
        Path config = home.resolve("endpoints/" + name + "/config.yaml");
        String text = Files.readString(config).replace("heartbeat_period: 30", "heartbeat_period: " + heartbeat);
        Files.writeString(config, text + String.join("\n", yaml) + (yaml.length > 0 ? "\n" : ""));
    }

    /** The id an endpoint printed in {@code log}, waiting for it up to {@code within}. */
    dev.gantry.protocol.EndpointId endpointId(String log, Duration within) {
        return dev.gantry.protocol.EndpointId.of(await(log, ">>> Endpoint ID: (\\S+)", within));
    }

    /** The process started with output to {@code log}. */
    Process process(String log) {
        return byLog.get(log);
    }

    /** Runs {@code gantry args...} to completion and returns its output; fails on a non-zero exit. */
    String run(String... args) throws Exception {
        String log = "cli-" + System.nanoTime() + ".log";
        Process p = start(log, args);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(
                    "gantry " + String.join(" ", args) + " failed:\n" + Files.readString(home.resolve(log)));
        }
        return Files.readString(home.resolve(log));
    }

    /** Waits for a line matching {@code regex} in a log and returns its first group. */
    String await(String log, String regex, Duration within) {
        Pattern p = Pattern.compile(regex);
        return org.awaitility.Awaitility.await()
                .atMost(within)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> find(log, p), Optional::isPresent)
                .orElseThrow();
    }

    private Optional<String> find(String log, Pattern p) throws IOException {
        Path f = home.resolve(log);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Matcher m = p.matcher(Files.readString(f));
        return m.find() ? Optional.of(m.groupCount() > 0 ? m.group(1) : m.group()) : Optional.empty();
    }

    /** Copies the processes' logs to {@code target/it-logs/<home>/}, for reading after a failure. */
    private void keepLogs() throws IOException {
        Path to = Files.createDirectories(
                Path.of("target", "it-logs", home.getFileName().toString()));
        try (Stream<Path> all = Files.walk(home)) {
            for (Path f :
                    all.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(
                        f,
                        to.resolve(home.relativize(f).toString().replace('/', '_')),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    GantryHome gantryHome() {
        return new GantryHome(home);
    }

    @Override
    public void close() throws IOException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            p.onExit().join();
        }
        backend.close();
        keepLogs();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
