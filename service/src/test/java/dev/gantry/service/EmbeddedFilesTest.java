package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.GantryHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The embedded database holds every tenant's code, arguments and results: its directory and files are the owner's only. */
class EmbeddedFilesTest {
    @Test
    void theEmbeddedDatabaseIsReadableByItsOwnerOnly() throws Exception {
        Path home = Files.createTempDirectory("gantry-files-");
        try {
            try (GantryService s = GantryService.start(ServiceConfig.embedded(new GantryHome(home), 0))) {
                Path dir = new GantryHome(home).serviceDir();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                        .isEqualTo("rwx------");
                Path db = dir.resolve("gantry.mv.db");
                assertThat(db).exists();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
                        .isEqualTo("rw-------");
            }
        } finally {
            try (Stream<Path> all = Files.walk(home)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
