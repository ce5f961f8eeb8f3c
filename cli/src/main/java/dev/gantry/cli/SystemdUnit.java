package dev.gantry.cli;

import java.nio.file.Path;

/** The systemd unit {@code enable-on-boot} writes for an endpoint (or endpoint manager). */
final class SystemdUnit {
    private SystemdUnit() {}

    static String fileName(String endpoint) {
        return "gantry-endpoint-" + endpoint + ".service";
    }

    static String text(String endpoint, String java, String classpath, Path home, String user) {
        return """
                [Unit]
                Description=Gantry endpoint %1$s
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=simple
                User=%5$s
                Environment=GANTRY_HOME=%4$s
                ExecStart=%2$s -cp %3$s dev.gantry.cli.Main endpoint start %1$s
                Restart=always
                RestartSec=10
                KillMode=mixed
                TimeoutStopSec=30

                [Install]
                WantedBy=multi-user.target
                """.formatted(endpoint, java, classpath, home, user);
    }
}
