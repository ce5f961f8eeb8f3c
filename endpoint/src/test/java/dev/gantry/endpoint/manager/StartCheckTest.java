package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.channel.ChannelMessage.StartUserEndpoint;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StartCheckTest {
    static final long NOW = 1_800_000_000_000L;
    final StartCheck check = new StartCheck(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    static StartUserEndpoint command(UUID request, long issuedAt) {
        return new StartUserEndpoint(
                EndpointId.random(),
                request,
                issuedAt,
                List.of(Map.of("id", UUID.randomUUID().toString(), "username", "alice@example.org")),
                null,
                null,
                "gty_token",
                "/v3/endpoints/x/channel");
    }

    @Test
    void aFreshWholeCommandPassesOnce() {
        UUID r = UUID.randomUUID();
        assertThatCode(() -> check.check(command(r, NOW - 1000))).doesNotThrowAnyException();
        assertThatThrownBy(() -> check.check(command(r, NOW - 1000)))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("replay");
    }

    @Test
    void aStaleOrFutureCommandIsRefused() {
        assertThatCode(() -> check.check(command(UUID.randomUUID(), NOW - 179_000)))
                .doesNotThrowAnyException();
        assertThatCode(() -> check.check(command(UUID.randomUUID(), NOW + 179_000)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check.check(command(UUID.randomUUID(), NOW - 181_000)))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("stale");
        assertThatThrownBy(() -> check.check(command(UUID.randomUUID(), NOW + 181_000)))
                .isInstanceOf(StartRefused.class)
                .hasMessageContaining("future");
    }

    @Test
    void anIncompleteCommandIsRefused() {
        StartUserEndpoint whole = command(UUID.randomUUID(), NOW);
        List<StartUserEndpoint> broken = List.of(
                new StartUserEndpoint(null, UUID.randomUUID(), NOW, whole.identities(), null, null, "t", "/p"),
                new StartUserEndpoint(EndpointId.random(), null, NOW, whole.identities(), null, null, "t", "/p"),
                new StartUserEndpoint(EndpointId.random(), UUID.randomUUID(), NOW, List.of(), null, null, "t", "/p"),
                new StartUserEndpoint(
                        EndpointId.random(), UUID.randomUUID(), NOW, List.of(Map.of("id", "x")), null, null, "t", "/p"),
                new StartUserEndpoint(
                        EndpointId.random(), UUID.randomUUID(), NOW, whole.identities(), null, null, " ", "/p"));
        for (StartUserEndpoint c : broken) {
            assertThatThrownBy(() -> check.check(c)).as(c.toString()).isInstanceOf(StartRefused.class);
        }
    }

    @Test
    void theTokenNeverShowsInTheCommandsText() {
        org.assertj.core.api.Assertions.assertThat(
                        command(UUID.randomUUID(), NOW).toString())
                .doesNotContain("gty_token")
                .contains("<redacted>");
    }
}
