package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.ServiceSettings.Key;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSettingsTest {
    @TempDir
    Path home;

    @Test
    void withNothingSetItIsTheEmbeddedDefault() {
        ServiceConfig c = ServiceSettings.load(new GantryHome(home), null, Map.of(), Map.of());
        assertThat(c.embeddedBroker()).isTrue();
        assertThat(c.jdbcUrl()).startsWith("jdbc:h2:file:" + home);
        assertThat(c.port()).isEqualTo(8740);
        assertThat(c.retention()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        Files.writeString(home.resolve("service.yaml"), """
                db_url: jdbc:postgresql://file/db
                db_user: fromfile
                broker_url: amqp://file
                port: 9001
                retention_seconds: 60
                """);
        ServiceConfig c = ServiceSettings.load(
                new GantryHome(home),
                null,
                Map.of(Key.PORT, "9003"),
                Map.of("GANTRY_PORT", "9002", "GANTRY_DB_USER", "fromenv"));
        assertThat(c.port()).isEqualTo(9003);
        assertThat(c.dbUser()).isEqualTo("fromenv");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://file/db");
        assertThat(c.brokerUrl()).isEqualTo("amqp://file");
        assertThat(c.retention()).isEqualTo(Duration.ofSeconds(60));
        assertThat(Key.DB_URL.flag()).isEqualTo("--db-url");
        assertThat(Key.DB_URL.env()).isEqualTo("GANTRY_DB_URL");
        assertThat(Key.DB_URL.yaml()).isEqualTo("db_url");
    }

    @Test
    void unknownKeysAndBadNumbersAreRefusedByName() throws Exception {
        Path f = home.resolve("s.yaml");
        Files.writeString(f, "db_uri: x\n");
        assertThatThrownBy(() -> ServiceSettings.load(new GantryHome(home), f, Map.of(), Map.of()))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("unknown key 'db_uri'");
        assertThatThrownBy(() -> ServiceSettings.load(new GantryHome(home), null, Map.of(Key.PORT, "eighty"), Map.of()))
                .hasMessageContaining("port must be a whole number");
        assertThatThrownBy(
                        () -> ServiceSettings.load(new GantryHome(home), home.resolve("none.yaml"), Map.of(), Map.of()))
                .hasMessageContaining("cannot read");
    }
}
