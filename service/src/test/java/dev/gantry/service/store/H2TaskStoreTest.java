package dev.gantry.service.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The task stores' contract on the embedded H2 database. */
class H2TaskStoreTest extends TaskStoreContract {
    private Path dir;

    @Override
    Database open() throws Exception {
        dir = Files.createTempDirectory("gantry-h2-contract-");
        return Database.open(Database.h2Url(dir.resolve("gantry")), "sa", "", 4);
    }

    @Override
    void drop() throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
