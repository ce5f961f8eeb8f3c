package dev.gantry.endpoint.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a user endpoint process. A root manager starts it as the mapped account through util-linux:
 * {@code setsid} (its own session), {@code setpriv} (real, effective and saved uid and gid of the account, its
 * groups from the group database, no new privileges, no capabilities, an empty bounding set), then a shell that
 * sets umask 077 and goes to the account's home. Its environment is only what {@link #environment} gives. The
 * process answers on its output with one line: {@value #READY} or {@value #REFUSED} and the reason.
 */
final class UserEndpointLauncher {
    private static final Logger log = LoggerFactory.getLogger(UserEndpointLauncher.class);
    static final String READY = "GANTRY-USER-ENDPOINT READY";
    static final String REFUSED = "GANTRY-USER-ENDPOINT REFUSED ";
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    /** The directory of class archives in a Gantry home. */
    static final String CLASS_ARCHIVES = "cds";

    private static final int MAX_ERROR_LINE = 8192;

    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z._+-]{1,64}");
    private static final String SHELL =
            "umask 077; cd \"$HOME\" 2>/dev/null || cd /; unset PWD OLDPWD; exec \"$0\" \"$@\"";

    private UserEndpointLauncher() {}

    /**
     * The command line: the privilege drop (for a root manager) and the user endpoint's JVM; with
     * {@code classArchive}, the JVM keeps the classes it loaded in that file when it exits and maps them at its
     * next start (a dynamic CDS archive, the account's own: a third less time to a new user endpoint's answer).
     */
    static List<String> command(
            LocalUser u,
            boolean dropPrivileges,
            String java,
            String classpath,
            List<String> jvmOptions,
            String classArchive) {
        List<String> cmd = new ArrayList<>();
        if (dropPrivileges) {
            cmd.addAll(List.of(
                    tool("setsid"),
                    tool("setpriv"),
                    "--reuid=" + u.uid(),
                    "--regid=" + u.gid(),
                    "--init-groups",
                    "--no-new-privs",
                    "--inh-caps=-all",
                    "--bounding-set=-all",
                    "--"));
        }
        cmd.addAll(List.of("/bin/sh", "-c", SHELL, java));
        if (classArchive != null) {
            cmd.addAll(List.of(
                    "-XX:SharedArchiveFile=" + classArchive,
                    "-XX:+AutoCreateSharedArchive",
                    "-Xlog:cds=off",
                    "-Xlog:cds+dynamic=off"));
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, "dev.gantry.cli.Main", "endpoint", "_start-user-endpoint"));
        return cmd;
    }

    /** A util-linux tool by its absolute path, so that a root manager's {@code PATH} cannot choose it. */
    static String tool(String name) {
        for (String dir : List.of("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/")) {
            if (java.nio.file.Files.isExecutable(Path.of(dir + name))) {
                return dir + name;
            }
        }
        return name;
    }

    /**
     * Where the account's user endpoints keep their classes: in its Gantry home, one file per JVM, classpath and
     * options (a JVM ignores and rewrites an archive that does not match it).
     */
    static String classArchive(Path gantryHome, String java, String classpath, List<String> jvmOptions) {
        String key = java + "\n" + classpath + "\n" + String.join(" ", jvmOptions);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return gantryHome
                    .resolve(CLASS_ARCHIVES)
                    .resolve("user-endpoint-" + HexFormat.of().formatHex(d, 0, 6) + ".jsa")
                    .toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The environment: for a root manager nothing of its own, only the administrator's variables, the account's
     * {@code HOME} and {@code USER}, a standard {@code PATH}; for a personal manager its own environment plus the
     * administrator's variables. Both add {@code GANTRY_USER_JAVA_VERSION} and {@code GANTRY_USER_SDK_VERSION}
     * from the submitter's runtime, when they look like versions.
     */
    static Map<String, String> environment(
            LocalUser u, boolean clear, Map<String, String> inherited, Map<String, String> admin, JsonNode runtime) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!clear) {
            env.putAll(inherited);
        }
        env.putAll(admin);
        env.put("HOME", u.dir());
        env.put("USER", u.uname());
        if (clear || !env.containsKey("PATH")) {
            env.put("PATH", admin.getOrDefault("PATH", PATH));
        }
        version(runtime, "java_version").ifPresent(v -> env.put("GANTRY_USER_JAVA_VERSION", v));
        version(runtime, "sdk_version").ifPresent(v -> env.put("GANTRY_USER_SDK_VERSION", v));
        return env;
    }

    private static java.util.Optional<String> version(JsonNode runtime, String field) {
        JsonNode v = runtime == null ? null : runtime.get(field);
        return v != null && v.isTextual() && VERSION.matcher(v.textValue()).matches()
                ? java.util.Optional.of(v.textValue())
                : java.util.Optional.empty();
    }

    /** Starts the process and hands it its start input on standard input. */
    static Process start(List<String> command, Map<String, String> env, UserEndpointStart input) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(new java.io.File("/"));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] bytes = Json.writeBytes(input);
        if (bytes.length > UserEndpointStart.MAX_BYTES) {
            p.destroyForcibly();
            throw new StartRefused("the user endpoint's start input is too large (" + bytes.length + " bytes)");
        }
        OutputStream in = p.getOutputStream();
        try {
            in.write(bytes);
            in.write('\n');
            in.flush();
            if (!input.highAssurance()) {
                in.close(); // a high-assurance one reads its manager's answers to its audit records there
            }
        } catch (IOException e) {
            // the process died before reading: its output says why
        }
        return p;
    }

    /**
     * Waits for the user endpoint's answer line on its output; lines before it (the JVM's own, on either stream)
     * go to the log. After the answer the user endpoint logs to its own file, and its output carries only its audit
     * records (a high-assurance manager's user endpoint), which go to {@code audit}, whose answer it gets on its
     * input; its workers inherit its error stream, never its output, so their tasks cannot write there. Anything
     * else that still comes (a JVM crash, workers' errors) is logged at debug level only, so that no user can flood
     * the administrator's log; lines are read up to a bound, so that no user can fill the manager's memory either.
     */
    static void awaitReady(Process p, String label, long timeoutMs, UnaryOperator<String> audit) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("uep-output").start(() -> {
            try {
                for (String line; (line = boundedLine(out, ManagerAudit.MAX_LINE_CHARS)) != null; ) {
                    if (!answer.isDone() && line.startsWith("GANTRY-USER-ENDPOINT ")) {
                        answer.complete(line);
                    } else if (!answer.isDone()) {
                        log.info("[{}] {}", label, line);
                    } else if (audit != null && line.startsWith(ManagerAudit.PREFIX)) {
                        String a = line.length() >= ManagerAudit.MAX_LINE_CHARS
                                ? ManagerAudit.BROKEN + "its audit record was longer than the manager reads"
                                : audit.apply(line.substring(ManagerAudit.PREFIX.length()));
                        p.getOutputStream().write((a + "\n").getBytes(StandardCharsets.UTF_8));
                        p.getOutputStream().flush();
                    } else {
                        log.debug("[{}] {}", label, line);
                    }
                }
            } catch (IOException e) {
                log.debug("[{}] output closed: {}", label, e.getMessage());
            }
            answer.complete(null);
        });
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name("uep-errors").start(() -> {
            try {
                for (String line; (line = boundedLine(err, MAX_ERROR_LINE)) != null; ) {
                    if (answer.isDone()) {
                        log.debug("[{}] {}", label, line);
                    } else {
                        log.info("[{}] {}", label, line);
                    }
                }
            } catch (IOException e) {
                log.debug("[{}] error output closed: {}", label, e.getMessage());
            }
        });
        String line;
        try {
            line = answer.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new StartRefused("the user endpoint did not start within " + timeoutMs / 1000 + " s");
        } catch (Exception e) {
            p.destroyForcibly();
            throw new StartRefused("the user endpoint did not start: " + e.getMessage());
        }
        if (line == null) {
            int rc = waitExit(p);
            throw new StartRefused("the user endpoint exited before it started (exit code " + rc + ")");
        }
        if (line.startsWith(REFUSED)) {
            throw new StartRefused(line.substring(REFUSED.length()));
        }
        if (!line.equals(READY)) {
            p.destroyForcibly();
            throw new StartRefused("the user endpoint answered unexpectedly");
        }
    }

    /** The next line, without its end; one longer than {@code max} is cut at {@code max} and its rest skipped. */
    static String boundedLine(BufferedReader in, int max) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return b.toString();
            }
            if (b.length() < max) {
                b.append((char) c);
            }
        }
        return b.isEmpty() ? null : b.toString();
    }

    private static int waitExit(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
