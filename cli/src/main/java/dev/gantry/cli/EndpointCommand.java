package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.endpoint.EndpointMain;
import dev.gantry.endpoint.manager.ManagerConfig;
import dev.gantry.endpoint.manager.ManagerFiles;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.api.EndpointStatus;
import dev.gantry.protocol.api.StatusReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry endpoint} (alias {@code gep}): configure, start, stop and list local endpoints. */
@Command(
        name = "endpoint",
        aliases = "gep",
        mixinStandardHelpOptions = true,
        description = "Manage the endpoints of this machine (named by their name or their UUID).",
        subcommands = {
            EndpointCommand.Configure.class,
            EndpointCommand.Start.class,
            EndpointCommand.Stop.class,
            EndpointLifecycle.Restart.class,
            EndpointLifecycle.Delete.class,
            EndpointCommand.ListCmd.class,
            EndpointCommand.Status.class,
            ManagerCommands.Render.class,
            ManagerCommands.EnableOnBoot.class,
            ManagerCommands.DisableOnBoot.class,
            ManagerCommands.StartUserEndpoint.class
        })
final class EndpointCommand {

    static EndpointDir dir(String name) {
        return EndpointDir.of(GantryHome.resolve(), name);
    }

    @Command(
            name = "configure",
            mixinStandardHelpOptions = true,
            description = "Create an endpoint's directory and config.yaml.")
    static final class Configure implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--engine", description = "thread, process or pilot (default ${DEFAULT-VALUE}).")
        String engine = "process";

        @Option(names = "--max-workers", description = "Workers; 0 = one per core (default ${DEFAULT-VALUE}).")
        int maxWorkers = 0;

        @Option(
                names = "--manager",
                description = "An endpoint manager: it starts a user endpoint per submitter from a"
                        + " template (for anyone its identity mapping accepts when run as root, else for you only).")
        boolean manager;

        @Option(names = "--multi-user", description = "An endpoint manager for many users, run as root (public: true).")
        boolean multiUser;

        @Override
        public Integer call() throws IOException {
            EndpointDir d = dir(name);
            if (d.exists()) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID, "endpoint " + name + " is already configured at " + d.dir());
            }
            if (!List.of("thread", "process", "pilot").contains(engine)) {
                throw new GantryException(ApiError.SEMANTICALLY_INVALID, "--engine must be thread, process or pilot");
            }
            GantryHome.privateDir(d.dir());
            if (manager || multiUser) {
                ManagerFiles.write(d, multiUser);
                System.out.println("Created endpoint manager " + name + " in " + d.dir() + ": edit config.yaml and "
                        + ManagerConfig.TEMPLATE
                        + (multiUser
                                ? ", write "
                                        + ManagerConfig.IDENTITY_MAPPING
                                        + " (see example_identity_mapping_config.json)"
                                : "")
                        + ", then run: gantry endpoint start " + name);
                return 0;
            }
            GantryHome.writePrivate(d.config(), EndpointConfig.template(engine, maxWorkers));
            System.out.println(
                    "Created endpoint " + name + ": edit " + d.config() + ", then run: gantry endpoint start " + name);
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start an endpoint.")
    static final class Start implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name or UUID.")
        String name;

        @Option(names = "--detach", description = "Run in the background; logs go to endpoint.log.")
        boolean detach;

        @Override
        public Integer call() throws Exception {
            EndpointDir d = EndpointRef.local(name);
            if (d.running().isPresent()) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "endpoint " + d.name() + " is already running (pid "
                                + d.running().get().pid() + "); gantry endpoint restart " + d.name()
                                + " stops and starts it");
            }
            if (detach) {
                return detached(d);
            }
            return EndpointMain.run(d, d.name(), System.out, System.err);
        }

        /** Starts {@code endpoint start NAME} in its own session and waits for its registration line in the log. */
        static int detached(EndpointDir d) throws IOException, InterruptedException {
            Background b = Background.start(d.log(), "endpoint", "start", d.name());
            Optional<String> line = b.await(">>> Endpoint ID:", Duration.ofSeconds(60));
            if (line.isPresent()) {
                System.out.println(line.get() + " (running in the background as pid " + b.process.pid() + ", log: "
                        + d.log() + ")");
                return 0;
            }
            boolean alive = b.process.isAlive();
            if (alive) {
                b.process.descendants().forEach(ProcessHandle::destroy);
                b.process.destroy();
                b.process.waitFor(EndpointAgent.DRAIN.toSeconds() + 5, TimeUnit.SECONDS);
            }
            b.printTail(
                    "gantry: endpoint " + d.name()
                            + (alive ? " did not register within 60 s and was stopped" : " did not start"),
                    8);
            return alive ? 1 : b.process.exitValue();
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = {
                "Stop a running endpoint on this host; with --remote, wherever it runs: the service locks it (it can",
                "neither connect nor register for a while) and every running instance stops within a heartbeat."
            })
    static final class Stop implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name or UUID.")
        String name;

        @Option(names = "--remote", description = "Have the service stop and lock it, wherever it runs.")
        boolean remote;

        record Locked(String endpointId, double lockExpirationTimestamp) {}

        @Override
        public Integer call() {
            if (remote) {
                EndpointId id = EndpointRef.id(name);
                Locked l = ServiceClient.fromEnvironment().post("/v3/endpoints/" + id + "/lock", null, Locked.class);
                System.out.println("Endpoint " + name + " (" + id + ") is locked until "
                        + Instant.ofEpochMilli((long) (l.lockExpirationTimestamp() * 1000))
                        + "; its running instances stop within a heartbeat.");
                return 0;
            }
            EndpointDir d = EndpointRef.local(name);
            System.out.println(
                    stop(d) ? "Endpoint " + d.name() + " stopped." : "Endpoint " + d.name() + " is not running.");
            return 0;
        }

        /** Stops the endpoint if it runs (it drains first; killed if it has not exited after that); true if it ran. */
        static boolean stop(EndpointDir d) {
            var running = d.running();
            if (running.isEmpty()) {
                return false;
            }
            ProcessHandle h = running.get();
            h.destroy();
            try {
                h.onExit().get(EndpointAgent.DRAIN.toSeconds() + 5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
            d.removePid();
            return true;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "Show what the service last heard from an endpoint: workers, tasks, and a pilot engine's blocks.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name or UUID.")
        String name;

        @Override
        public Integer call() {
            EndpointId id = EndpointRef.id(name);
            ServiceClient client = ServiceClient.fromEnvironment();
            EndpointStatus s = new dev.gantry.sdk.Client(client).getEndpointStatus(id);
            System.out.println("Endpoint " + name + " (" + id + "): " + s.status()
                    + (s.lastHeartbeat() == null
                            ? ""
                            : String.format(
                                    java.util.Locale.ROOT,
                                    ", last report %.0f s ago",
                                    System.currentTimeMillis() / 1000.0 - s.lastHeartbeat())));
            dev.gantry.protocol.api.TaskList now =
                    client.get("/v3/tasks?limit=1&endpoint_id=" + id, dev.gantry.protocol.api.TaskList.class);
            System.out.println("your tasks now: " + TaskWatch.counts(now.counts()));
            StatusReport r = s.details();
            if (r != null && "manager".equals(r.engineType())) {
                System.out.printf("endpoint manager: %d user endpoints running%n", r.managers());
            } else if (r != null) {
                System.out.printf(
                        "at the last report, engine %s: %d managers, %d workers (%d idle); %d tasks pending,"
                                + " %d outstanding%n",
                        r.engineType(),
                        r.managers(),
                        r.totalWorkers(),
                        r.idleWorkers(),
                        r.pendingTasks(),
                        r.outstandingTasks());
                if (!r.blocks().isEmpty()) {
                    System.out.printf("%-16s  %-20s  %s%n", "Block", "Job", "State");
                    for (StatusReport.BlockStatus b : r.blocks()) {
                        System.out.printf("%-16s  %-20s  %s%n", b.block(), b.jobId(), b.state());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the endpoints configured here.")
    static final class ListCmd implements Callable<Integer> {
        @Override
        public Integer call() throws IOException {
            Path root = GantryHome.resolve().endpointsDir();
            System.out.printf("%-36s  %-11s  %s%n", "Endpoint ID", "Status", "Name");
            if (!Files.isDirectory(root)) {
                return 0;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path p : dirs.sorted().toList()) {
                    EndpointDir d = new EndpointDir(p.getFileName().toString(), p);
                    if (!d.exists()) {
                        continue;
                    }
                    String id = d.endpointId().map(Object::toString).orElse("-");
                    String status = d.running().isPresent()
                            ? "Running"
                            : d.endpointId().isPresent() ? "Stopped" : "Initialized";
                    System.out.printf("%-36s  %-11s  %s%n", id, status, d.name());
                }
            }
            return 0;
        }
    }
}
