package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one YAML mapper refuses what could hang or flood a reader, and keys given twice. */
class YamlTest {
    @TempDir
    Path dir;

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsParsed() throws IOException {
        Path big = dir.resolve("config.yaml");
        Files.writeString(big, "a: \"" + "x".repeat(Yaml.MAX_BYTES) + "\"\n");
        assertThatThrownBy(() -> Yaml.readTree(big)).isInstanceOfSatisfying(GantryException.class, e -> {
            assertThat(e.code()).isEqualTo(ApiError.SEMANTICALLY_INVALID);
            assertThat(e.getMessage()).contains("at most " + Yaml.MAX_BYTES + " bytes");
        });
    }

    @Test
    void aBillionLaughsStaysSmallAndADuplicateKeyIsRefused() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            bomb.append(c)
                    .append(": &")
                    .append(c)
                    .append(" [*")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append(", *")
                    .append(p)
                    .append("]\n");
        }
        // Jackson does not expand aliases: the tree holds the anchors' names, not 9 * 6^10 strings
        assertThat(Yaml.mapper().readTree(bomb.toString()).toString()).hasSizeLessThan(10_000);
        assertThatThrownBy(() -> Yaml.mapper().readTree("engine: thread\nengine: process\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("engine");
    }

    @Test
    void ordinaryConfigurationReads() throws IOException {
        assertThat(Yaml.mapper()
                        .readTree("engine:\n  type: thread\n  max_workers: 2\n")
                        .at("/engine/max_workers")
                        .asInt())
                .isEqualTo(2);
    }
}
