package dev.gantry.engines.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a file under {@code src/test/resources/golden}. Run with {@code -Dgantry.golden.update=true}
 * to write the files from the code (then read the diff before committing it).
 */
final class Golden {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {}

    static void check(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("gantry.golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual);
        }
        assertThat(file)
                .as("golden file " + file + " (write it with -Dgantry.golden.update=true)")
                .exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
