package dev.gantry.endpoint.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity mapping file, re-read when its inode, size or modification time changes (looked at no more than
 * once a second). A new file that cannot be read or parsed keeps the rules in force and the log says why; the
 * file must be readable when the manager starts.
 */
public final class IdentityMappingFile {
    private static final Logger log = LoggerFactory.getLogger(IdentityMappingFile.class);
    static final long CHECK_EVERY_MS = 1_000;
    private final Path file;
    private final Clock clock;
    private IdentityMapping rules;
    private Object seen;
    private long checkedAt;

    public IdentityMappingFile(Path file) {
        this(file, Clock.systemUTC());
    }

    IdentityMappingFile(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.seen = stamp();
        try {
            this.rules = IdentityMapping.parse(Files.readString(file));
        } catch (IOException e) {
            throw IdentityMapping.invalid("cannot read the identity mapping " + file + ": " + e.getMessage());
        }
        this.checkedAt = clock.millis();
    }

    /** Maps with the rules in force, after taking a changed file's new rules. */
    public synchronized Optional<String> map(List<FederatedIdentity> identities) {
        reloadIfChanged();
        return rules.map(identities);
    }

    private void reloadIfChanged() {
        long now = clock.millis();
        if (now - checkedAt < CHECK_EVERY_MS) {
            return;
        }
        checkedAt = now;
        Object stamp = stamp();
        if (Objects.equals(stamp, seen)) {
            return;
        }
        seen = stamp;
        try {
            rules = IdentityMapping.parse(Files.readString(file));
            log.info("identity mapping {} changed: its new rules are in force", file);
        } catch (IOException | RuntimeException e) {
            log.error(
                    "identity mapping {} changed but cannot be used ({}); the previous rules stay in force",
                    file,
                    e.getMessage());
        }
    }

    /** What tells a changed file: inode, size, modification time. */
    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(
                    String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return List.of("missing");
        }
    }
}
