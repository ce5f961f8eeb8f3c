package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.Json;
import dev.gantry.protocol.Limits;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.ChannelMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may hold an endpoint's channel: one process at a time (a second one, even with the owner's token, is
 * refused while the first is heard from; the same process may connect again), no frame larger than a frame
 * kind needs, and a lock stops it wherever it is connected.
 */
class ChannelControlApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private ApiFixture api;
    private String endpoint;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        endpoint = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"held\"}")
                .body()
                .get("endpoint_id")
                .asText();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void aSecondProcessIsRefusedWhileTheFirstIsHeardFromAndTheSameProcessMayReconnect() throws Exception {
        UUID first = UUID.randomUUID();
        ScriptedChannel a = api.hello(endpoint, api.token(), 10, first);
        a.next(ChannelMessage.Welcome.class, WAIT);
        ScriptedChannel intruder = api.hello(endpoint, api.token(), 10, UUID.randomUUID());
        assertThat(intruder.closed().get(10, TimeUnit.SECONDS)).isEqualTo(4409);

        String function = api.call(
                        "POST",
                        "/v3/functions",
                        "{\"function_name\":\"f\",\"function_code\":" + Json.write(ServiceApiTest.CODE) + "}")
                .body()
                .get("function_uuid")
                .asText();
        String task = api.call("POST", "/v3/endpoints/" + endpoint + "/submit", ServiceApiTest.submitBody(function, 1))
                .body()
                .get("tasks")
                .get(function)
                .get(0)
                .asText();
        assertThat(a.next(ChannelMessage.Tasks.class, WAIT)
                        .tasks()
                        .get(0)
                        .task()
                        .toString())
                .as("the tasks still go to the process that holds the channel")
                .isEqualTo(task);

        ScriptedChannel again = api.hello(endpoint, api.token(), 10, first);
        again.next(ChannelMessage.Welcome.class, WAIT);
        assertThat(a.closed().get(10, TimeUnit.SECONDS))
                .as("its old channel is closed")
                .isNotNull();
        again.close();
    }

    @Test
    void anotherProcessMayConnectOnceTheOneHoldingTheChannelFellSilent() throws Exception {
        ScriptedChannel a = api.channel(endpoint, api.token());
        // as if its last heartbeat were long ago (a partition that left its TCP connection open)
        api.service
                .database()
                .update(
                        "UPDATE endpoints SET last_heartbeat_at = ? WHERE id = ?",
                        System.currentTimeMillis() - 60_000,
                        UUID.fromString(endpoint));
        ScriptedChannel b = api.hello(endpoint, api.token(), 10, UUID.randomUUID());
        b.next(ChannelMessage.Welcome.class, WAIT);
        a.close();
        b.close();
    }

    @Test
    void aFrameLargerThanAnyFrameKindNeedsClosesTheChannel() throws Exception {
        ScriptedChannel ch = api.channel(endpoint, api.token());
        ch.sendRaw("{\"type\":\"status\",\"pad\":\"" + "x".repeat(Limits.MAX_CHANNEL_FRAME_CHARS) + "\"}");
        assertThat(ch.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1009);
        ScriptedChannel fine = api.channel(endpoint, api.token());
        fine.close();
    }

    @Test
    void aLockStopsTheChannelAndOneSeenAtAHeartbeatToo() throws Exception {
        ScriptedChannel ch = api.channel(endpoint, api.token());
        assertThat(api.call("POST", "/v3/endpoints/" + endpoint + "/lock", "{}").status())
                .isEqualTo(200);
        assertThat(ch.next(ChannelMessage.Stop.class, WAIT).reason()).contains("locked");
        assertThat(ch.closed().get(10, TimeUnit.SECONDS)).isNotNull();
        assertThatThrownBy(() -> api.channel(endpoint, api.token()))
                .as("locked: it cannot connect again")
                .hasStackTraceContaining("status code 423");

        // locked through another instance of the service: this one sees it at the endpoint's next heartbeat
        api.service
                .database()
                .update("UPDATE endpoints SET locked_until = NULL WHERE id = ?", UUID.fromString(endpoint));
        ScriptedChannel other = api.channel(endpoint, api.token());
        api.service
                .database()
                .update(
                        "UPDATE endpoints SET locked_until = ? WHERE id = ?",
                        System.currentTimeMillis() + 60_000,
                        UUID.fromString(endpoint));
        other.send(new ChannelMessage.Status(new StatusReport(1, 1, 0, 0, 0, "thread", List.of()), 0));
        assertThat(other.next(ChannelMessage.Stop.class, WAIT).reason()).contains("locked");
    }
}
