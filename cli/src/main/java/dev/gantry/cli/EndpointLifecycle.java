package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry endpoint restart} and {@code delete}. */
final class EndpointLifecycle {
    private EndpointLifecycle() {}

    @Command(
            name = "restart",
            mixinStandardHelpOptions = true,
            description = "Stop an endpoint if it runs, then start it in the background (as start --detach).")
    static final class Restart implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name or UUID.")
        String name;

        @Override
        public Integer call() throws Exception {
            EndpointDir d = EndpointRef.local(name);
            if (EndpointCommand.Stop.stop(d)) {
                System.out.println("Endpoint " + d.name() + " stopped.");
            }
            return EndpointCommand.Start.detached(d);
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = {
                "Delete an endpoint: stop it, remove its record from the service (its id is then unknown there) and",
                "its directory here (config, logs, results not yet sent). Asks first unless --yes."
            })
    static final class Delete implements Callable<Integer> {
        @Parameters(index = "0", description = "Endpoint name or UUID.")
        String name;

        @Option(
                names = {"-y", "--yes"},
                description = "Do not ask.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            EndpointDir d = EndpointRef.local(name);
            Optional<EndpointId> id = d.endpointId();
            if (!yes && !confirmed(d)) {
                System.out.println("Not deleted.");
                return 1;
            }
            EndpointCommand.Stop.stop(d);
            if (id.isPresent()) {
                try {
                    ServiceClient.fromEnvironment()
                            .delete("/v3/endpoints/" + id.get(), com.fasterxml.jackson.databind.JsonNode.class);
                } catch (GantryException e) {
                    if (e.code() != ApiError.ENDPOINT_NOT_FOUND) {
                        throw new GantryException(
                                e.code(),
                                "endpoint " + d.name() + " was not deleted: the service refused (" + e.getMessage()
                                        + "); its directory is kept");
                    }
                }
            }
            removeTree(d.dir());
            System.out.println(
                    "Deleted endpoint " + d.name() + id.map(i -> " (" + i + ")").orElse("") + ".");
            return 0;
        }

        private static boolean confirmed(EndpointDir d) throws IOException {
            if (System.console() == null) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "deleting endpoint " + d.name() + " needs a yes: run it on a terminal, or add --yes");
            }
            String answer = System.console()
                    .readLine(
                            "Delete endpoint %s (%s) and its directory %s? [y/N] ",
                            d.name(), d.endpointId().map(Object::toString).orElse("never registered"), d.dir());
            return answer != null
                    && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
        }
    }

    static void removeTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
