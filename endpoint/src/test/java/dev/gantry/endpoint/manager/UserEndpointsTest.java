package dev.gantry.endpoint.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.channel.ChannelMessage.StartUserEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UserEndpointsTest {
    static StartUserEndpoint request(EndpointId id) {
        return new StartUserEndpoint(
                id, UUID.randomUUID(), 0, List.of(Map.of("id", "i", "username", "u")), null, null, "t", "/p");
    }

    @Test
    void aRequestForOneThatStopsCleanlyWithinTheGracePeriodStartsItAgain() throws Exception {
        UserEndpoints children = new UserEndpoints(Clock.systemUTC(), 10_000);
        EndpointId id = EndpointId.random();
        Process p = new ProcessBuilder("sh", "-c", "sleep 0.3").start();
        CompletableFuture<StartUserEndpoint> again = new CompletableFuture<>();
        children.add(id, p, "alice", again::complete);
        StartUserEndpoint kept = request(id);
        assertThat(children.keepIfRunning(kept)).isPresent();
        assertThat(again.get(10, TimeUnit.SECONDS)).isSameAs(kept);
        assertThat(children.keepIfRunning(request(id))).isEmpty();
    }

    @Test
    void onlyACleanExitWithAKeptRequestWithinTheGraceStartsAgain() {
        assertThat(UserEndpoints.startsAgain(0, true, 1_000, 1_000)).isTrue();
        assertThat(UserEndpoints.startsAgain(0, false, 1_000, 1_000))
                .as("no request kept")
                .isFalse();
        assertThat(UserEndpoints.startsAgain(3, true, 1_000, 1_000))
                .as("a failed exit")
                .isFalse();
        assertThat(UserEndpoints.startsAgain(0, true, 1_001, 1_000))
                .as("past the grace")
                .isFalse();
    }

    @Test
    void stopAllTerminatesThenKills() throws Exception {
        UserEndpoints children = new UserEndpoints(Clock.systemUTC(), 0);
        Process polite = new ProcessBuilder("sleep", "30").start();
        Process stubborn = new ProcessBuilder("sh", "-c", "trap '' TERM; echo trapped; sleep 30 & wait").start();
        children.add(EndpointId.random(), polite, "a", r -> {});
        children.add(EndpointId.random(), stubborn, "b", r -> {});
        assertThat(stubborn.inputReader().readLine()).isEqualTo("trapped");
        long t0 = System.nanoTime();
        children.stopAll(Duration.ofMillis(500));
        assertThat(polite.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(polite.exitValue()).as("terminated").isEqualTo(128 + 15);
        assertThat(stubborn.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(stubborn.exitValue()).as("killed, having ignored SIGTERM").isEqualTo(128 + 9);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
    }
}
