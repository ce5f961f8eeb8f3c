package dev.gantry.bench;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.endpoint.manager.EndpointManager;
import dev.gantry.endpoint.manager.ManagerConfig;
import dev.gantry.endpoint.manager.ManagerFiles;
import dev.gantry.protocol.GantryHome;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A multi-user endpoint manager (in this JVM, as root) and the test account {@code gantry-alice}
 * ({@code .ci/test-users}): the time from a submit that needs a new user endpoint to its result (each round
 * asks for a new one with another {@code user_endpoint_config}), the same for a running one, and the resident
 * memory of an idle user endpoint (its JVM, and with its worker JVMs) under the default template. Usage:
 * {@code MultiUserBench [rounds=5] [user endpoint JVM options, comma-separated] [engine: process|thread]}.
 */
public final class MultiUserBench {
    private MultiUserBench() {}

    record Issued(String identityId, String username, String token) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String jvmOptions = args.length > 1 ? args[1] : "";
        String engine = args.length > 2 ? args[2] : "process";
        Path home = ScratchHome.create("gantry-mu-bench-");
        long[] cold = new long[rounds];
        long[] warm = new long[rounds];
        try (GantryService service = GantryService.start(ServiceConfig.embedded(new GantryHome(home), 0))) {
            EndpointDir dir = EndpointDir.of(new GantryHome(home), "mu-bench");
            GantryHome.privateDir(dir.dir());
            ManagerFiles.write(dir, true);
            Path root = Path.of("").toAbsolutePath();
            Files.writeString(
                    dir.config(),
                    Files.readString(dir.config()).replace("heartbeat_period: 30", "heartbeat_period: 1")
                            + "user_endpoint_classpath: " + root.resolve("cli/target/gantry-cli-0.1.0-SNAPSHOT.jar")
                            + ":"
                            + root.resolve("cli/target/lib") + "/*\n"
                            + (jvmOptions.isEmpty() ? "" : "user_endpoint_jvm_options: [" + jvmOptions + "]\n"));
            Files.writeString(dir.dir().resolve(ManagerConfig.SCHEMA), "{\"type\": \"object\"}");
            Path template = dir.dir().resolve(ManagerConfig.TEMPLATE);
            Files.writeString(
                    template,
                    Files.readString(template)
                            .replace("idle_heartbeats_soft: 10", "idle_heartbeats_soft: {{ idle|default(10) }}")
                            .replace("type: process", "type: " + engine));
            Files.writeString(
                    dir.dir().resolve(ManagerConfig.IDENTITY_MAPPING),
                    "[{\"DATA_TYPE\": \"expression_identity_"
                            + "mapping#1.0.0\", \"mappings\": [{\"source\": \"{username}\", \"match\": \"(.*)@example\\\\.org\","
                            + " \"output\": \"gantry-{0}\"}]}]");
            ServiceClient admin = ServiceClient.of(service.credentials());
            Issued alice = admin.post("/v3/identities", Map.of("username", "alice@example.org"), Issued.class);
            Client client = new Client(service.url(), alice.token());
            try (EndpointManager manager = new EndpointManager(dir, ManagerConfig.read(dir.config()), admin)) {
                var id = manager.start();
                Thread.sleep(1500); // connected
                // the account's first user endpoint: no class archive yet; it writes one when it stops
                long first;
                try (ComputeExecutor ex = ComputeExecutor.builder()
                        .client(client)
                        .endpointId(id)
                        .userEndpointConfig(Map.of("idle", 1))
                        .build()) {
                    long t0 = System.nanoTime();
                    NoOp.submit(ex, 0).join();
                    first = System.nanoTime() - t0;
                }
                while (!manager.userEndpointPids().isEmpty()) {
                    Thread.sleep(100);
                }
                for (int r = -1; r < rounds; r++) {
                    try (ComputeExecutor ex = ComputeExecutor.builder()
                            .client(client)
                            .endpointId(id)
                            .userEndpointConfig(Map.of("round", r))
                            .build()) {
                        long t0 = System.nanoTime();
                        NoOp.submit(ex, r).join();
                        long t1 = System.nanoTime();
                        long fresh = medianAfter(ex, 20, 21); // both workers started
                        if (r >= 0) { // round -1 warms up the service, the SDK and the function's first shipment
                            cold[r] = t1 - t0;
                            warm[r] = fresh;
                        }
                    }
                }
                // the same user endpoint (round 0's values) once its JVM has run a thousand tasks
                long hot;
                try (ComputeExecutor ex = ComputeExecutor.builder()
                        .client(client)
                        .endpointId(id)
                        .userEndpointConfig(Map.of("round", 0))
                        .build()) {
                    hot = medianAfter(ex, 1000, 41);
                }
                Thread.sleep(5000); // idle
                List<Long> pids = manager.userEndpointPids();
                long[] jvm =
                        pids.stream().mapToLong(MultiUserBench::rssKb).sorted().toArray();
                long[] all = pids.stream()
                        .mapToLong(p -> rssKb(p)
                                + ProcessHandle.of(p)
                                        .map(h -> h.descendants()
                                                .mapToLong(d -> rssKb(d.pid()))
                                                .sum())
                                        .orElse(0L))
                        .sorted()
                        .toArray();
                Arrays.sort(cold);
                Arrays.sort(warm);
                System.out.printf(
                        "Multi-user endpoint: submit needing the account's first user endpoint to its result"
                                + " %.2f s; needing a new one later, %d rounds (median) %.2f s (min %.2f, max %.2f); to a running"
                                + " one: its first 21 tasks %.1f ms each (median), after 1,000 tasks %.1f ms. Idle user endpoint"
                                + " (default template, " + engine
                                + " engine, 2 workers), %d of them: JVM %d MiB resident, with its"
                                + " workers %d MiB%n",
                        first / 1e9,
                        rounds,
                        cold[rounds / 2] / 1e9,
                        cold[0] / 1e9,
                        cold[rounds - 1] / 1e9,
                        warm[rounds / 2] / 1e6,
                        hot / 1e6,
                        jvm.length,
                        jvm[jvm.length / 2] / 1024,
                        all[all.length / 2] / 1024);
            }
        } finally {
            ScratchHome.delete(Path.of("/home/gantry-alice/.gantry"));
        }
    }

    /** Runs {@code warmUp} tasks one after the other, then the median time of {@code n} more. */
    static long medianAfter(ComputeExecutor ex, int warmUp, int n) {
        for (int i = 0; i < warmUp; i++) {
            NoOp.submit(ex, i).join();
        }
        long[] one = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            NoOp.submit(ex, i).join();
            one[i] = System.nanoTime() - t0;
        }
        Arrays.sort(one);
        return one[n / 2];
    }

    static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                    .sum();
        } catch (Exception e) {
            return 0;
        }
    }
}
