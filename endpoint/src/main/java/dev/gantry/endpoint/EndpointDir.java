package dev.gantry.endpoint;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** One endpoint's directory under the Gantry home, in Globus Compute's layout. */
public record EndpointDir(String name, Path dir) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@+-]{0,127}");
    private static final Pattern UUID_LIKE = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-.*");

    public static EndpointDir of(GantryHome home, String name) {
        if (name == null
                || !NAME.matcher(name).matches()
                || name.contains("..")
                || UUID_LIKE.matcher(name).matches()) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "'" + name + "' is not a valid endpoint name:"
                            + " use 1-128 letters, digits and _.@+- , not starting with a dot and not a UUID");
        }
        return new EndpointDir(name, home.endpointsDir().resolve(name));
    }

    public Path config() {
        return dir.resolve("config.yaml");
    }

    public Path endpointJson() {
        return dir.resolve("endpoint.json");
    }

    public Path pidFile() {
        return dir.resolve("daemon.pid");
    }

    public Path log() {
        return dir.resolve("endpoint.log");
    }

    /** Results not yet acknowledged by the service (owner-only): resent after a reconnect or a restart. */
    public Path outboxDir() {
        return dir.resolve("unacked_results");
    }

    /** A high-assurance endpoint's append-only record of every task event (owner-only). */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    public Path tasksDir() {
        return dir.resolve("tasks_working_dir");
    }

    public boolean exists() {
        return Files.isRegularFile(config());
    }

    /** The id this endpoint registered under, if it did. */
    public Optional<EndpointId> endpointId() {
        if (!Files.isRegularFile(endpointJson())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.read(Files.readString(endpointJson()), Registration.class)
                    .endpointId());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void saveEndpointId(EndpointId id) {
        GantryHome.writePrivate(endpointJson(), Json.write(new Registration(id)));
    }

    /** The pid of the running endpoint, if its pid file names a live process. */
    public Optional<ProcessHandle> running() {
        try {
            if (!Files.isRegularFile(pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public void writePid(long pid) {
        GantryHome.writePrivate(pidFile(), Long.toString(pid));
    }

    public void removePid() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code endpoint.json}: {@code {"endpoint_id": "..."}}. */
    public record Registration(EndpointId endpointId) {}
}
