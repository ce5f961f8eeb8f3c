package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK as a user outside this build meets it, through the launcher ({@code ./gantry classpath sdk},
 * {@code ./gantry jshell}) and the README's example, against a service and an endpoint started as processes.
 */
class SdkUseTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static GantryProcesses g;
    static String endpointId;

    @BeforeAll
    static void start() throws Exception {
        g = new GantryProcesses();
        g.startService("service.log", "--port", "0");
        g.configureEndpoint("laptop", "thread", 2, 1.0);
        g.start("endpoint.log", "endpoint", "start", "laptop");
        endpointId = g.endpointId("endpoint.log", Duration.ofSeconds(60)).toString();
    }

    @AfterAll
    static void stop() throws Exception {
        g.close();
    }

    /** Runs a command in the checkout as a user's shell would, with the test's Gantry home; returns its output. */
    static Result shell(String command, String stdin) throws Exception {
        Path out = Files.createTempFile(g.home, "shell-", ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("GANTRY_HOME", g.home.toString());
        pb.environment().put("GANTRY_NO_BUILD", "1");
        pb.environment().put("SCRATCH", g.home.toString());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(command).isTrue();
        return new Result(p.exitValue(), Files.readString(out));
    }

    record Result(int code, String output) {}

    @Test
    void aJshellLambdaGetsTheTopLevelVariablesItReadsAndOneThatCannotTravelIsRefused() throws Exception {
        String session = String.join(
                "\n",
                "int off = 100;",
                "String greeting = \"hi\";",
                "ex.submit((Integer x) -> x + off, 1).get()",
                "ex.submit((String s) -> greeting + \" \" + s, \"there\").get()",
                "off = 5;",
                "ex.submit((Integer x) -> x + off, 1).get()",
                "Thread t = Thread.currentThread();",
                "ex.submit((Integer x) -> x + \" \" + t, 1)",
                "Object h = new Object();",
                "ex.submit((Integer x) -> x + \" \" + h, 1)",
                "/exit",
                "");
        Result r = shell("./gantry jshell --endpoint laptop", session);
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output())
                .contains("ex submits to endpoint laptop (" + endpointId + ")")
                .contains("$3 ==> 101")
                .contains("$4 ==> \"hi there\"")
                .contains("$6 ==> 6")
                .contains("the function reads jshell's variable 't'")
                .contains("the function reads jshell's variable 'h'")
                .contains("Pass what the function needs as an argument");
        Result byId = shell("./gantry jshell -e " + endpointId, "ex.submit((Integer x) -> x * 2, 21).get()\n/exit\n");
        assertThat(byId.output()).contains("==> 42");
    }

    @Test
    void theSdkClasspathIsSlimAndTheReadmeExampleCompilesAndRunsAsPrinted() throws Exception {
        Result cp = shell("./gantry classpath sdk 2>/dev/null", "");
        assertThat(cp.code()).isZero();
        List<Path> jars = new ArrayList<>();
        for (String e : cp.output().trim().split(File.pathSeparator)) {
            jars.add(Path.of(e));
        }
        long bytes = 0;
        for (Path j : jars) {
            assertThat(j).exists();
            bytes += Files.size(j);
        }
        assertThat(bytes).as("the SDK's runtime classpath, bytes").isLessThan(10L * 1024 * 1024);
        assertThat(jars.stream().map(j -> j.getFileName().toString()))
                .anyMatch(n -> n.startsWith("gantry-sdk-"))
                .anyMatch(n -> n.startsWith("slf4j-nop-"))
                .noneMatch(n -> n.contains("logback") || n.contains("gantry-service") || n.contains("jetty"));

        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## The Java SDK"));
        Files.writeString(g.home.resolve("Sweep.java"), block(section, "java"));
        String commands = block(section, "")
                .replace("<endpoint id>", endpointId)
                .replace("Sweep.java", "\"$SCRATCH/Sweep.java\"")
                .replace(" sweep", " \"$SCRATCH/sweep\"")
                .replace(":sweep", ":$SCRATCH/sweep");
        Result run = shell("set -e\n" + commands, "");
        assertThat(run.code()).as(commands + "\n" + run.output()).isZero();
        assertThat(run.output()).containsPattern("Hello, you! pi ~ 3\\.14\\d*, ls exited with 0");
    }

    /** The first fenced block of {@code lang} ("" for a block without one) in {@code text}. */
    static String block(String text, String lang) {
        Matcher m = Pattern.compile("(?ms)^```(\\w*)\n(.*?)^```$").matcher(text);
        while (m.find()) {
            if (m.group(1).equals(lang)) {
                return m.group(2);
            }
        }
        throw new AssertionError("no ```" + lang + " block");
    }
}
