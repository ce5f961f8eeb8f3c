package dev.gantry.cli;

import dev.gantry.endpoint.EndpointDir;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** An endpoint named on the command line by its name or by its UUID, as Globus Compute's CLI takes either. */
final class EndpointRef {
    private EndpointRef() {}

    /** The endpoints configured in the Gantry home, by name. */
    static List<EndpointDir> configured() {
        Path root = GantryHome.resolve().endpointsDir();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.sorted()
                    .map(p -> new EndpointDir(p.getFileName().toString(), p))
                    .filter(EndpointDir::exists)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The local endpoint a name or a UUID names; it must be configured here. */
    static EndpointDir local(String nameOrId) {
        Optional<EndpointId> id = uuid(nameOrId);
        if (id.isPresent()) {
            return configured().stream()
                    .filter(d -> d.endpointId().equals(id))
                    .findFirst()
                    .orElseThrow(() -> new GantryException(
                            ApiError.ENDPOINT_NOT_FOUND,
                            "no endpoint of this machine registered as " + nameOrId
                                    + " (gantry endpoint list shows this machine's endpoints)"));
        }
        EndpointDir d = EndpointDir.of(GantryHome.resolve(), nameOrId);
        if (!d.exists()) {
            throw new GantryException(
                    ApiError.ENDPOINT_NOT_FOUND,
                    "no endpoint named " + nameOrId + " here (gantry endpoint list shows this machine's"
                            + " endpoints; gantry endpoint configure " + nameOrId + " makes one)");
        }
        return d;
    }

    /** The service's id for a name or a UUID: a UUID as it is (it may be another machine's endpoint). */
    static EndpointId id(String nameOrId) {
        Optional<EndpointId> id = uuid(nameOrId);
        if (id.isPresent()) {
            return id.get();
        }
        return local(nameOrId)
                .endpointId()
                .orElseThrow(() -> new GantryException(
                        ApiError.ENDPOINT_NOT_FOUND,
                        "endpoint " + nameOrId + " has never registered: start it first (gantry endpoint start "
                                + nameOrId + ")"));
    }

    private static Optional<EndpointId> uuid(String s) {
        if (s == null || !s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            return Optional.empty();
        }
        return Optional.of(EndpointId.of(s));
    }
}
