package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.client.ServiceClient;
import dev.gantry.it.fixtures.MultiUserFns;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.sdk.Client;
import dev.gantry.sdk.ComputeExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A multi-user endpoint manager run as root, with real Unix accounts ({@code .ci/test-users}): identities map
 * to accounts, each gets a user endpoint started through setpriv as that account, and what must be refused is.
 */
class MultiUserEndpointTest {
    static final List<String> ACCOUNTS = List.of("gantry-alice", "gantry-bob");
    static GantryProcesses gantry;
    static GantryHome.Credentials admin;
    static EndpointId manager;
    static Path shared;
    static Path classpath;

    record Issued(String identityId, String username, String token) {}

    static final String MAPPING = """
            [{"DATA_TYPE": "expression_identity_mapping#1.0.0", "mappings": [
               {"source": "{username}", "match": "root@evil.org", "output": "root", "literal": true},
               {"source": "{username}", "match": "homeless@example.org", "output": "nobody", "literal": true},
               {"source": "{username}", "match": "(.*)@example\\\\.org", "output": "gantry-{0}"}]}]
            """;

    @BeforeAll
    static void start() throws Exception {
        requireRootAndAccounts();
        gantry = new GantryProcesses();
        admin = gantry.startService("service.log", "--port", "0");
        shared = Files.createTempDirectory("gantry-mu-shared-");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        classpath = readableClasspath();
        manager = startManager("site");
    }

    /** Configures and starts a multi-user manager with the test's template, schema, environment and mapping. */
    static EndpointId startManager(String name) throws Exception {
        return startManager(name, "");
    }

    /** ... with {@code extraConfig} added to its config.yaml. */
    static EndpointId startManager(String name, String extraConfig) throws Exception {
        gantry.run("endpoint", "configure", name, "--multi-user");
        Path dir = gantry.home.resolve("endpoints/" + name);
        String config = Files.readString(dir.resolve("config.yaml"))
                .replace("heartbeat_period: 30", "heartbeat_period: 1")
                .replace("mu_child_ep_grace_period_s: 30", "mu_child_ep_grace_period_s: 5");
        Files.writeString(
                dir.resolve("config.yaml"),
                config + "user_endpoint_classpath: " + classpath + "/*\n"
                        + "user_endpoint_jvm_options: [-XX:+UseSerialGC, -Xshare:auto]\n" + extraConfig);
        Files.writeString(dir.resolve("user_config_template.yaml.j2"), """
                heartbeat_period: 1
                idle_heartbeats_soft: {{ idle|default(60) }}
                idle_heartbeats_hard: 600
                {% if 'gantry-gpu' in mapped_identity.local.groups %}
                display_name: gpu-{{ mapped_identity.local.uname }}
                {% else %}
                display_name: cpu-{{ mapped_identity.local.uname }}
                {% endif %}
                engine:
                  type: process
                  max_workers: {{ max_workers|default(1) }}
                {% if setup_exit is defined %}
                endpoint_setup: exit {{ setup_exit }}
                {% else %}
                endpoint_setup: id -un > setup-ran
                {% endif %}
                {% if allowed is defined %}
                allowed_functions:
                {% for f in allowed %}
                  - {{ f }}
                {% endfor %}
                {% endif %}
                """);
        Files.writeString(dir.resolve("user_config_schema.json"), """
                {"type": "object", "properties": {"max_workers": {"type": "integer", "minimum": 1, "maximum": 4},
                 "idle": {"type": "integer", "minimum": 1},
                 "allowed": {"type": "array", "items": {"type": "string"}},
                 "setup_exit": {"type": "integer", "minimum": 1, "maximum": 125}}, "additionalProperties": false}""");
        Files.writeString(dir.resolve("user_environment.yaml"), "SITE_SCRATCH: /tmp\nHOME: /should/be/ignored\n");
        Files.writeString(dir.resolve("identity_mapping.json"), MAPPING);
        String log = name.equals("site") ? "manager.log" : name + ".log";
        gantry.start(log, "endpoint", "start", name);
        return gantry.endpointId(log, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gantry == null) {
            return;
        }
        gantry.close();
        for (String a : ACCOUNTS) {
            delete(Path.of("/home", a, ".gantry"));
        }
        delete(shared);
        delete(classpath);
    }

    /** Root and the accounts of .ci/test-users: in CI their absence fails the test, elsewhere it skips. */
    static void requireRootAndAccounts() throws Exception {
        String why = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            why = "it must run as root (to start user endpoints as other accounts)";
        } else {
            for (String a : ACCOUNTS) {
                Process p = new ProcessBuilder("id", a).start();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    why = "the account " + a + " is missing (.ci/test-users creates it)";
                }
            }
        }
        if (why != null) {
            String msg = "this test needs root and the test accounts: " + why;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }

    /** Gantry's jars in a directory every account can read (the tests' own classpath is under root's home). */
    static Path readableClasspath() throws IOException {
        Path dir = Files.createTempDirectory("gantry-mu-lib-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int i = 0;
        for (String e : GantryProcesses.gantryClassPath().split(java.io.File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path to = dir.resolve(String.format("%03d-", i++)
                    + (Files.isDirectory(src)
                            ? "classes.jar"
                            : src.getFileName().toString()));
            if (Files.isDirectory(src)) {
                jar(src, to);
            } else {
                Files.copy(src, to);
            }
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
        }
        return dir;
    }

    private static void jar(Path classes, Path to) throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(to));
                Stream<Path> all = Files.walk(classes)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(
                        new java.util.jar.JarEntry(classes.relativize(f).toString()));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    static Client clientOf(String username) {
        Issued i = ServiceClient.of(admin).post("/v3/identities", Map.of("username", username), Issued.class);
        return Client.of(new GantryHome.Credentials(admin.serviceUrl(), i.token(), admin.caFile()));
    }

    static ComputeExecutor executor(Client c, Map<String, ?> userConfig) {
        return ComputeExecutor.builder()
                .client(c)
                .endpointId(manager)
                .userEndpointConfig(userConfig)
                .build();
    }

    /** The pid in the daemon.pid of {@code account}'s user endpoint of the manager. */
    static Optional<Long> userEndpointPid(String account) throws IOException {
        return userEndpointPid(account, "");
    }

    /** ... of the one whose rendered config contains {@code configText}. */
    static Optional<Long> userEndpointPid(String account, String configText) throws IOException {
        Path eps = Path.of("/home", account, ".gantry", "endpoints");
        if (!Files.isDirectory(eps)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(eps)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith("uep." + manager + "."))
                    .toList()) {
                Path pid = d.resolve("daemon.pid");
                if (Files.exists(pid)
                        && Files.readString(d.resolve("config.yaml")).contains(configText)) {
                    long n = Long.parseLong(Files.readString(pid).trim());
                    if (ProcessHandle.of(n).map(ProcessHandle::isAlive).orElse(false)) {
                        return Optional.of(n);
                    }
                }
            }
        }
        return Optional.empty();
    }

    static Map<String, String> status(long pid) throws IOException {
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            int colon = line.indexOf(':');
            out.put(line.substring(0, colon), line.substring(colon + 1).strip().replaceAll("\\s+", " "));
        }
        return out;
    }

    static Set<String> environmentNames(long pid) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String kv : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).split("\0")) {
            if (!kv.isEmpty()) {
                names.add(kv.substring(0, kv.indexOf('=')));
            }
        }
        return names;
    }

    /** What the process's descriptors refer to. */
    static List<String> openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString();
                        } catch (IOException e) {
                            return "";
                        }
                    })
                    .toList();
        }
    }

    static String environ(long pid, String name) throws IOException {
        for (String kv : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).split("\0")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        return null;
    }

    static int uid(String account) throws Exception {
        return id("-u", account);
    }

    static int id(String flag, String account) throws Exception {
        Process p = new ProcessBuilder("id", flag, account).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return Integer.parseInt(out);
    }

    static String groups(String account) throws Exception {
        Process p = new ProcessBuilder("id", "-G", account).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return String.join(
                " ",
                new TreeSet<>(List.of(out.split(" ")))
                        .stream()
                                .sorted(Comparator.comparingInt(Integer::parseInt))
                                .toList());
    }

    @Test
    void twoIdentitiesGetTwoUserEndpointsRunningAsTheirAccountsWithPrivilegesDropped() throws Exception {
        Map<String, Client> clients =
                Map.of("gantry-alice", clientOf("alice@example.org"), "gantry-bob", clientOf("bob@example.org"));
        for (Map.Entry<String, Client> e : clients.entrySet()) {
            String account = e.getKey();
            String answer;
            try (ComputeExecutor ex = executor(e.getValue(), Map.of("max_workers", 1))) {
                answer = ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS);
            }
            String[] f = answer.split("\\|");
            int uid = uid(account);
            assertThat(f[0]).as("the task's uids").isEqualTo("Uid: " + uid + " " + uid + " " + uid + " " + uid);
            Path file = Path.of(f[1]);
            assertThat(Files.getOwner(file).getName()).isEqualTo(account);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(f[3]).isEqualTo(System.getProperty("java.version") + "/0.1.0");

            long pid = userEndpointPid(account).orElseThrow(() -> new AssertionError("no user endpoint of " + account));
            Map<String, String> st = status(pid);
            assertThat(st.get("Uid")).isEqualTo(uid + " " + uid + " " + uid + " " + uid);
            int gid = id("-g", account);
            assertThat(st.get("Gid")).isEqualTo(gid + " " + gid + " " + gid + " " + gid);
            assertThat(st.get("Groups")).isEqualTo(groups(account));
            assertThat(st.get("NoNewPrivs")).isEqualTo("1");
            assertThat(st.get("CapEff")).isEqualTo("0000000000000000");
            assertThat(st.get("CapPrm")).isEqualTo("0000000000000000");
            assertThat(st.get("CapBnd")).isEqualTo("0000000000000000");
            assertThat(st.get("Umask")).isEqualTo("0077");
            assertThat(environmentNames(pid))
                    .containsExactlyInAnyOrder(
                            "HOME",
                            "USER",
                            "PATH",
                            "SITE_SCRATCH",
                            "GANTRY_USER_JAVA_VERSION",
                            "GANTRY_USER_SDK_VERSION");
            assertThat(environ(pid, "HOME")).isEqualTo("/home/" + account);
            assertThat(openFiles(pid))
                    .as("no descriptor of the manager's files")
                    .noneMatch(target -> target.startsWith(gantry.home.toString()));
            assertThat(environ(pid, "USER")).isEqualTo(account);
            Path uepDir = Path.of("/home", account, ".gantry", "endpoints");
            try (Stream<Path> dirs = Files.list(uepDir)) {
                Path d = dirs.filter(p -> p.getFileName().toString().startsWith("uep." + manager))
                        .findFirst()
                        .orElseThrow();
                assertThat(Files.getOwner(d).getName()).isEqualTo(account);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d)))
                        .isEqualTo("rwx------");
                assertThat(Files.readString(d.resolve("config.yaml")))
                        .contains("display_name: " + (account.equals("gantry-alice") ? "gpu-" : "cpu-") + account);
                assertThat(d.resolve("setup-ran"))
                        .as("endpoint_setup ran as the account")
                        .hasContent(account);
                assertThat(Files.getOwner(d.resolve("setup-ran")).getName()).isEqualTo(account);
            }
        }
        assertThat(userEndpointPid("gantry-alice")).isNotEqualTo(userEndpointPid("gantry-bob"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> gantry.run("endpoint", "status", "site"),
                        out -> out.matches("(?s).*endpoint manager: [2-9] user endpoints running.*"));
    }

    @Test
    void identitiesMappedToRootToAMissingAccountOrToNothingAreRefusedAndNothingStarts() throws Exception {
        Map<String, String> reasons = Map.of(
                "root@evil.org", "may not run user endpoints",
                "nosuch@example.org", "gantry-nosuch', which does not exist",
                "mallory@nowhere.org", "is not mapped to a local account",
                "homeless@example.org", "cannot create its user endpoint's directory in /nonexistent");
        ProcessHandle managerProcess = gantry.process("manager.log").toHandle();
        Set<Long> before =
                managerProcess.descendants().map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
        for (Map.Entry<String, String> e : reasons.entrySet()) {
            Client c = clientOf(e.getKey());
            try (ComputeExecutor ex = executor(c, Map.of())) {
                assertThatThrownBy(() ->
                                ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause()
                        .isInstanceOf(GantryException.class)
                        .hasMessageContaining(e.getValue())
                        .satisfies(t -> assertThat(((GantryException) t).code())
                                .isEqualTo(ApiError.USER_ENDPOINT_START_FAILED));
            }
        }
        // the homeless account's user endpoint ran only to say why it cannot; nothing stays running
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(managerProcess.descendants().map(ProcessHandle::pid))
                        .as("nothing left running")
                        .allMatch(before::contains));
        assertThat(Files.readString(gantry.home.resolve("manager.log")))
                .contains("refused uid 0 for root")
                .contains("no identity mapping rule matched");
        assertThat(Path.of("/root/.gantry/endpoints"))
                .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> {
                    try (Stream<Path> s = Files.list(p)) {
                        assertThat(s.filter(d -> d.getFileName().toString().startsWith("uep." + manager)))
                                .isEmpty();
                    }
                });
    }

    @Test
    void aSchemaViolationOrAFailedSetupReachesTheSubmitterAsTheEndpointsReason() throws Exception {
        Client c = clientOf("alice@example.org");
        Map<Map<String, ?>, String> reasons = Map.of(
                Map.of("max_workers", 99),
                "max_workers",
                Map.of("max_workers", "x\nallowed_serializers: []"),
                "max_workers",
                Map.of("parent_config", "x"),
                "parent_config",
                Map.of("setup_exit", 3),
                "endpoint_setup exited with code 3");
        for (Map.Entry<Map<String, ?>, String> bad : reasons.entrySet()) {
            try (ComputeExecutor ex = executor(c, bad.getKey())) {
                assertThatThrownBy(() ->
                                ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(GantryException.class)
                        .hasMessageContaining("could not start your user endpoint")
                        .hasMessageContaining(bad.getValue())
                        .satisfies(t -> assertThat(((GantryException) t).code())
                                .isEqualTo(ApiError.USER_ENDPOINT_START_FAILED));
            }
        }
    }

    @Test
    void aManagersAllowedFunctionsAreCheckedBeforeAnyStartAndATemplatesByTheUserEndpoint() throws Exception {
        FunctionId offered = Client.of(admin).registerPublicFunction(MultiUserFns.WHO);
        EndpointId guarded = startManager("guarded", "allowed_functions: [" + offered + "]\n");
        ProcessHandle guardedProcess = gantry.process("guarded.log").toHandle();
        Client alice = clientOf("alice@example.org");
        String aliceUid = "Uid: " + uid("gantry-alice") + " ";
        Map<String, ?> otherList = Map.of("allowed", List.of(FunctionId.random().toString()));
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(alice)
                .endpointId(guarded)
                .userEndpointConfig(otherList)
                .build()) {
            // her own copy of the function is another function: refused before anything starts
            assertThatThrownBy(
                            () -> ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(GantryException.class)
                    .hasMessageContaining("allowed_functions")
                    .satisfies(
                            t -> assertThat(((GantryException) t).code()).isEqualTo(ApiError.FUNCTION_NOT_PERMITTED));
            assertThat(guardedProcess.descendants())
                    .as("no user endpoint started")
                    .isEmpty();
            // the offered one runs, although her values name another list: the manager's replaces it
            assertThat(ex.submitToRegisteredFunction(offered, String.class, shared.toString())
                            .get(60, TimeUnit.SECONDS))
                    .startsWith(aliceUid);
        }
        // under a manager without a list, the template's is the user endpoint's own, and it alone refuses
        try (ComputeExecutor ex = executor(alice, Map.of("allowed", List.of(offered.toString())))) {
            var own = ex.submit(MultiUserFns.WHO, shared.toString());
            assertThatThrownBy(() -> own.get(60, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(dev.gantry.sdk.TaskExecutionFailed.class, e -> {
                        assertThat(e.code()).isEqualTo(FailureCode.FUNCTION_NOT_ALLOWED);
                        assertThat(e.remoteStackTrace()).contains("is not permitted on endpoint");
                    });
            assertThat(ex.submitToRegisteredFunction(offered, String.class, shared.toString())
                            .get(60, TimeUnit.SECONDS))
                    .startsWith(aliceUid);
        }
    }

    @Test
    void anIdleUserEndpointStopsAndTheNextSubmitStartsItAgain() throws Exception {
        Client c = clientOf("bob@example.org");
        Map<String, ?> cfg = Map.of("idle", 2);
        long first;
        try (ComputeExecutor ex = executor(c, cfg)) {
            ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS);
            first = userEndpointPid("gantry-bob", "idle_heartbeats_soft: 2").orElseThrow();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(first).isEmpty()
                            || !ProcessHandle.of(first).get().isAlive());
            assertThat(ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                    .startsWith("Uid: " + uid("gantry-bob"));
        }
        assertThat(userEndpointPid("gantry-bob", "idle_heartbeats_soft: 2"))
                .isPresent()
                .get()
                .isNotEqualTo(first);
    }

    @Test
    void aPersonalManagerRunAsAnOrdinaryAccountServesItsOwnerOnly() throws Exception {
        Issued owner =
                ServiceClient.of(admin).post("/v3/identities", Map.of("username", "mgr@example.org"), Issued.class);
        Path home = Files.createTempDirectory("gantry-mu-personal-");
        Process manager = null;
        try {
            // the service's certificate, as its administrator hands it out: the manager's account cannot read ours
            Path ca = home.resolve("service-ca.pem");
            Files.copy(Path.of(admin.caFile()), ca);
            new GantryHome(home)
                    .writeCredentials(new GantryHome.Credentials(admin.serviceUrl(), owner.token(), ca.toString()));
            chown(home, "gantry-mgr");
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> asMgr = List.of(
                    "setpriv",
                    "--reuid=gantry-mgr",
                    "--regid=gantry-mgr",
                    "--init-groups",
                    "--",
                    "env",
                    "GANTRY_HOME=" + home,
                    java,
                    "-cp",
                    classpath + "/*",
                    "dev.gantry.cli.Main",
                    "endpoint");
            Process configure = new ProcessBuilder(concat(asMgr, "configure", "personal", "--manager"))
                    .inheritIO()
                    .start();
            assertThat(configure.waitFor(60, TimeUnit.SECONDS) && configure.exitValue() == 0)
                    .isTrue();
            Path cfg = home.resolve("endpoints/personal/config.yaml");
            Files.writeString(
                    cfg,
                    Files.readString(cfg).replace("heartbeat_period: 30", "heartbeat_period: 1")
                            + "user_endpoint_classpath: " + classpath + "/*\n");
            Path log = gantry.home.resolve("personal-manager.log");
            manager = new ProcessBuilder(concat(asMgr, "start", "personal"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            EndpointId personal = gantry.endpointId("personal-manager.log", Duration.ofSeconds(60));
            assertThat(Files.readString(log)).contains("personal, as uid " + uid("gantry-mgr"));

            Client mine = Client.of(new GantryHome.Credentials(admin.serviceUrl(), owner.token(), admin.caFile()));
            try (ComputeExecutor ex =
                    ComputeExecutor.builder().client(mine).endpointId(personal).build()) {
                assertThat(ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                        .startsWith("Uid: " + uid("gantry-mgr") + " ");
            }
            try (ComputeExecutor ex = ComputeExecutor.builder()
                    .client(clientOf("alice@example.org"))
                    .endpointId(personal)
                    .build()) {
                assertThatThrownBy(() ->
                                ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                        .cause()
                        .isInstanceOf(GantryException.class)
                        .satisfies(
                                t -> assertThat(((GantryException) t).code()).isEqualTo(ApiError.ENDPOINT_NOT_FOUND));
            }
        } finally {
            if (manager != null) {
                manager.descendants().forEach(ProcessHandle::destroyForcibly);
                manager.destroyForcibly();
                manager.waitFor(30, TimeUnit.SECONDS);
            }
            delete(home);
        }
    }

    @Test
    void aChangedMappingFileIsTakenAndABrokenOneKeepsTheRulesInForce() throws Exception {
        Path mapping = gantry.home.resolve("endpoints/site/identity_mapping.json");
        String before = Files.readString(mapping);
        Client trudy = clientOf("trudy@nowhere.org");
        try {
            try (ComputeExecutor ex = executor(trudy, Map.of())) {
                assertThatThrownBy(() ->
                                ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                        .cause()
                        .hasMessageContaining("is not mapped");
            }
            Files.writeString(
                    mapping,
                    MAPPING.replace(
                            "\"mappings\": [",
                            "\"mappings\": [\n   {\"source\": \"{username}\","
                                    + " \"match\": \"trudy@nowhere.org\", \"output\": \"gantry-bob\", \"literal\": true},"));
            assertThat(Files.readString(mapping)).contains("trudy");
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        try (ComputeExecutor ex = executor(trudy, Map.of())) {
                            return ex.submit(MultiUserFns.WHO, shared.toString())
                                    .get(60, TimeUnit.SECONDS)
                                    .startsWith("Uid: " + uid("gantry-bob") + " ");
                        }
                    });
            Path log = gantry.home.resolve("manager.log");
            long kept = keptRules(log);
            Files.writeString(mapping, "[{\"DATA_TYPE\": \"expression_identity_mapping#1.0.0\", \"mappings\": [");
            // each new user endpoint is mapped again; the manager looks at the file at most once a second
            int[] workers = {2};
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        try (ComputeExecutor ex = executor(trudy, Map.of("max_workers", workers[0]++))) {
                            assertThat(ex.submit(MultiUserFns.WHO, shared.toString())
                                            .get(60, TimeUnit.SECONDS))
                                    .startsWith("Uid: " + uid("gantry-bob") + " ");
                        }
                        return keptRules(log) > kept;
                    });
        } finally {
            Files.writeString(mapping, before);
        }
    }

    @Test
    void userEndpointsStopWhenTheirManagerIsKilled() throws Exception {
        EndpointId doomed = startManager("doomed");
        ProcessHandle managerProcess = gantry.process("doomed.log").toHandle();
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(clientOf("alice@example.org"))
                .endpointId(doomed)
                .build()) {
            assertThat(ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                    .startsWith("Uid: " + uid("gantry-alice") + " ");
        }
        List<ProcessHandle> children = managerProcess.children().toList();
        assertThat(children).isNotEmpty();
        managerProcess.destroyForcibly();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(children).noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aUserEndpointKilledWithTasksOutstandingIsStartedAgainAndEveryTaskEnds() throws Exception {
        Map<String, ?> cfg = Map.of("idle", 30, "max_workers", 2);
        Client bob = clientOf("bob@example.org");
        try (ComputeExecutor ex = executor(bob, cfg)) {
            List<dev.gantry.sdk.ComputeFuture<Long>> naps = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                naps.add(ex.submit(MultiUserFns.NAP, 1500L));
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> userEndpointPid("gantry-bob", "idle_heartbeats_soft: 30")
                            .isPresent());
            long first =
                    userEndpointPid("gantry-bob", "idle_heartbeats_soft: 30").orElseThrow();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> naps.stream()
                            .anyMatch(f -> f.taskId() != null
                                    && "running".equals(bob.getTask(f.taskId()).status()))); // started, and leased
            ProcessHandle uep = ProcessHandle.of(first).orElseThrow();
            uep.descendants().forEach(ProcessHandle::destroyForcibly);
            uep.destroyForcibly();
            for (var f : naps) {
                assertThat(f.get(90, TimeUnit.SECONDS)).isPositive();
            }
            assertThat(userEndpointPid("gantry-bob", "idle_heartbeats_soft: 30"))
                    .isPresent()
                    .get()
                    .isNotEqualTo(first);
        }
        assertThat(Files.readString(gantry.home.resolve("service.log"))).contains("asking endpoint manager");
    }

    @Test
    void aHighAssuranceManagerKeepsEveryTaskEventOfItsUserEndpointsInItsOwnLog() throws Exception {
        EndpointId ha = startManager("ha-site", "high_assurance: true\n");
        Path auditLog = gantry.home.resolve("endpoints/ha-site/audit.log");
        List<dev.gantry.sdk.ComputeFuture<String>> runs = new java.util.ArrayList<>();
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(clientOf("alice@example.org"))
                .endpointId(ha)
                .highAssurance(true)
                .build()) {
            for (int i = 0; i < 3; i++) {
                runs.add(ex.submit(MultiUserFns.WHO, shared.toString()));
            }
            for (var f : runs) {
                assertThat(f.get(60, TimeUnit.SECONDS)).startsWith("Uid: " + uid("gantry-alice") + " ");
            }
        }
        Set<String> tasks =
                new TreeSet<>(runs.stream().map(f -> f.taskId().toString()).toList());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(auditEvents(auditLog, tasks))
                        .as("every state of every task, from its user endpoint")
                        .allSatisfy((task, events) ->
                                assertThat(events).containsExactly("received", "running", "success", "acknowledged"))
                        .containsOnlyKeys(tasks));
        List<JsonNode> lines = auditLines(auditLog);
        assertThat(lines.get(0).get("event").asText()).isEqualTo("manager_started");
        assertThat(lines.stream().filter(l -> l.has("task"))).allSatisfy(l -> {
            assertThat(l.get("account").asText()).isEqualTo("gantry-alice");
            assertThat(l.get("uid").asInt()).isEqualTo(uid("gantry-alice"));
            assertThat(l.get("manager").asText()).isEqualTo(ha.toString());
            assertThat(l.has("user_endpoint")).isTrue();
        });
        assertThat(lines.stream().map(l -> l.get("event").asText())).contains("user_endpoint_started");
        assertThat(Files.getOwner(auditLog).getName()).isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auditLog)))
                .isEqualTo("rw-------");
        try (Stream<Path> files = Files.walk(Path.of("/home/gantry-alice/.gantry/endpoints"))) {
            assertThat(files.filter(f -> f.getFileName().toString().equals("audit.log")))
                    .as("the account keeps no record of its own: the manager keeps it")
                    .isEmpty();
        }
    }

    @Test
    void aHighAssuranceManagerThatCannotWriteItsAuditLogStartsNothingAndSaysWhy() throws Exception {
        EndpointId full = startManager("ha-full", "high_assurance: true\naudit_log_path: /dev/full\n");
        try (ComputeExecutor ex = ComputeExecutor.builder()
                .client(clientOf("bob@example.org"))
                .endpointId(full)
                .highAssurance(true)
                .build()) {
            assertThatThrownBy(
                            () -> ex.submit(MultiUserFns.WHO, shared.toString()).get(60, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(GantryException.class)
                    .hasMessageContaining("cannot keep its audit log")
                    .satisfies(t ->
                            assertThat(((GantryException) t).code()).isEqualTo(ApiError.USER_ENDPOINT_START_FAILED));
        }
        assertThat(Files.readString(gantry.home.resolve("ha-full.log"))).contains("/dev/full");
        try (Stream<Path> dirs = Files.list(Path.of("/home/gantry-bob/.gantry/endpoints"))) {
            assertThat(dirs.filter(d -> d.getFileName().toString().startsWith("uep." + full)))
                    .as("nothing started")
                    .isEmpty();
        } catch (java.nio.file.NoSuchFileException e) {
            // bob never had a user endpoint here: nothing started either
        }
    }

    static List<JsonNode> auditLines(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(l -> Json.read(l, JsonNode.class))
                .toList();
    }

    /** The events the audit log holds for each of {@code tasks}, in order. */
    static Map<String, List<String>> auditEvents(Path file, Set<String> tasks) throws IOException {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (var l : auditLines(file)) {
            if (l.has("task") && tasks.contains(l.get("task").asText())) {
                out.computeIfAbsent(l.get("task").asText(), k -> new java.util.ArrayList<>())
                        .add(l.get("event").asText());
            }
        }
        return out;
    }

    /** How often the manager's log says a changed mapping file was refused and its rules kept. */
    static long keptRules(Path log) throws java.io.IOException {
        return Files.exists(log)
                ? Files.readString(log)
                        .lines()
                        .filter(l -> l.contains("the previous rules stay in force"))
                        .count()
                : 0;
    }

    static List<String> concat(List<String> head, String... tail) {
        List<String> out = new java.util.ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }

    static void chown(Path p, String account) throws Exception {
        Process c = new ProcessBuilder("chown", "-R", account + ":" + account, p.toString())
                .inheritIO()
                .start();
        assertThat(c.waitFor(30, TimeUnit.SECONDS) && c.exitValue() == 0).isTrue();
    }

    static void delete(Path p) throws IOException {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
