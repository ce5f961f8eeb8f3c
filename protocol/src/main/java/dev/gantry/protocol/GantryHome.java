package dev.gantry.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The user's Gantry directory ({@code $GANTRY_HOME}, else {@code ~/.gantry}), owner-only. It holds the
 * local credentials (service URL and token) that the embedded service writes on start and the SDK and CLIs
 * read, the embedded service's database, and one directory per endpoint.
 */
public record GantryHome(Path dir) {

    public static GantryHome resolve() {
        String env = System.getenv("GANTRY_HOME");
        return new GantryHome(
                env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".gantry"));
    }

    /** The service URL and bearer token a client uses. */
    /**
     * Where the service is and the token to use; {@code caFile}, when present, is the certificate (PEM) that
     * clients trust the service's TLS by (the one a service made for itself), else they use the system's.
     */
    public record Credentials(String serviceUrl, String token, String caFile) {
        public Credentials(String serviceUrl, String token) {
            this(serviceUrl, token, null);
        }
    }

    public Path credentialsFile() {
        return dir.resolve("credentials.json");
    }

    public Path endpointsDir() {
        return dir.resolve("endpoints");
    }

    public Path serviceDir() {
        return dir.resolve("service");
    }

    public Optional<Credentials> readCredentials() {
        Path f = credentialsFile();
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(Json.read(readString(f), Credentials.class));
    }

    /** Writes the credentials owner-only, atomically. */
    public void writeCredentials(Credentials c) {
        writePrivate(credentialsFile(), Json.write(c));
    }

    /** Creates {@code d} (and parents) with owner-only permissions. */
    public static Path privateDir(Path d) {
        try {
            Files.createDirectories(d);
            setMode(d, "rwx------");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d, e);
        }
    }

    /** Makes the regular files directly in {@code dir} readable and writable by their owner only. */
    public static void privateFiles(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                setMode(f, "rw-------");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the files of " + dir, e);
        }
    }

    /** Writes {@code text} to {@code file} atomically, readable by its owner only. */
    public static void writePrivate(Path file, String text) {
        writePrivate(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} atomically, readable by its owner only. */
    public static void writePrivate(Path file, byte[] bytes) {
        privateDir(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            setMode(tmp, "rw-------");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: permissions are the platform's
        }
    }

    private static String readString(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
