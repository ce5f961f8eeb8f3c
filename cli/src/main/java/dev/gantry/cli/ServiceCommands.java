package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.GantryHome;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code gantry service stop} and {@code status}, for the service of this Gantry home. */
final class ServiceCommands {
    private ServiceCommands() {}

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop the service of this Gantry home (started here, detached or not).")
    static final class Stop implements Callable<Integer> {
        @Override
        public Integer call() {
            GantryHome home = GantryHome.resolve();
            if (!new ServiceProcess(home).stop()) {
                System.out.println("No service of " + home.dir() + " is running.");
                return 0;
            }
            System.out.println("Stopped the service of " + home.dir() + ".");
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Say whether the service of this Gantry home runs, and whether the service the credentials name",
                "answers. Exit code 0 when it answers, 3 when it does not."
            })
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            GantryHome home = GantryHome.resolve();
            Optional<ProcessHandle> local = new ServiceProcess(home).running();
            System.out.println(local.map(h -> "The service of " + home.dir() + " runs here as pid " + h.pid() + ".")
                    .orElse("No service of " + home.dir() + " runs here."));
            ServiceClient client;
            try {
                client = ServiceClient.fromEnvironment();
            } catch (RuntimeException e) {
                System.out.println(e.getMessage());
                return 3;
            }
            try {
                String version = client.get("/v2/version", String.class);
                System.out.println("The service at " + client.serviceUrl() + " answers (version " + version + ").");
                return 0;
            } catch (RuntimeException e) {
                System.out.println("The service at " + client.serviceUrl() + " does not answer: " + e.getMessage());
                return 3;
            }
        }
    }
}
