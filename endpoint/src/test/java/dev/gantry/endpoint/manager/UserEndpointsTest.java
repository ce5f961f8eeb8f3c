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
    void noRequestOrAFailedExitStartsNothing() throws Exception {
        UserEndpoints children = new UserEndpoints(Clock.systemUTC(), 10_000);
        CompletableFuture<StartUserEndpoint> again = new CompletableFuture<>();
        EndpointId quiet = EndpointId.random();
        Process p1 = new ProcessBuilder("true").start();
        children.add(quiet, p1, "alice", again::complete);
        EndpointId failing = EndpointId.random();
        Process p2 = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 3").start();
        children.add(failing, p2, "bob", again::complete);
        children.keepIfRunning(request(failing));
        p1.waitFor(5, TimeUnit.SECONDS);
        p2.waitFor(5, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertThat(again).isNotDone();
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
