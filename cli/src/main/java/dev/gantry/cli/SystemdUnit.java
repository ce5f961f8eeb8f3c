package dev.gantry.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The systemd unit {@code enable-on-boot} writes for an endpoint (or endpoint manager). */
final class SystemdUnit {
    private SystemdUnit() {}

    static String fileName(String endpoint) {
        return "gantry-endpoint-" + endpoint + ".service";
    }

    /**
     * How the unit starts the endpoint: through the launcher that runs this CLI ({@code gantry.launcher}: an
     * installation's {@code bin/gantry}), else with this JVM and class path.
     */
    static String command(String launcher, String java, String classpath) {
        return launcher != null && !launcher.isBlank()
                ? quoted(launcher)
                : quoted(java) + " -cp " + quoted(classpath) + " dev.gantry.cli.Main";
    }

    /** A word of a unit's command line: in double quotes if it holds a space (systemd splits on them). */
    static String quoted(String word) {
        return word.matches("[^\\s\"]*")
                ? word
                : "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Whether {@code launcher} is a source checkout's {@code ./gantry} (it rebuilds when its sources change). */
    static boolean inCheckout(String launcher) {
        return launcher != null && Files.exists(Path.of(launcher).resolveSibling("pom.xml"));
    }

    static String text(String endpoint, String command, Path home, String user) {
        return """
                [Unit]
                Description=Gantry endpoint %1$s
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=simple
                User=%4$s
                Environment=%3$s
                ExecStart=%2$s endpoint start %1$s
                Restart=always
                RestartSec=10
                KillMode=mixed
                TimeoutStopSec=30

                [Install]
                WantedBy=multi-user.target
                """.formatted(endpoint, command, quoted("GANTRY_HOME=" + home), user);
    }
}
