package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.channel.StreamMessage;
import dev.gantry.protocol.channel.TaskMessage;
import java.net.http.WebSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * High assurance (S22): the flag never changes, functions are pinned to their endpoint and never public, an HA
 * endpoint runs only its pinned functions, and an HA task's outcome is never pushed: the stream (live and replayed)
 * gets a notice, and the result is fetched over REST.
 */
class HighAssuranceApiTest extends AliceAndBob {
    static final String RESULT = "00\ngARLBS4=\n";

    static String endpoint(String token, String name, boolean ha) throws Exception {
        ApiFixture.Reply r = api.call(
                "POST", "/v3/endpoints", token, "{\"endpoint_name\":\"" + name + "\",\"high_assurance\":" + ha + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().get("endpoint_id").asText();
    }

    /** A function of {@code token}'s identity pinned to high-assurance endpoint {@code ha}: its id. */
    static String pinned(String token, String ha) throws Exception {
        return function(token, ",\"ha_endpoint_id\":\"" + ha + "\"")
                .body()
                .get("function_uuid")
                .asText();
    }

    static ApiFixture.Reply function(String token, String extra) throws Exception {
        return api.call(
                "POST",
                "/v3/functions",
                token,
                "{\"function_name\":\"f\",\"function_code\":" + Json.write(ServiceApiTest.CODE) + extra + "}");
    }

    @Test
    void theFlagNeverChanges() throws Exception {
        String ha = endpoint(alice, "ha", true);
        String plain = endpoint(alice, "plain", false);
        for (String[] c : new String[][] {{ha, "false"}, {plain, "true"}}) {
            ApiFixture.Reply r = api.call(
                    "PUT", "/v3/endpoints/" + c[0], alice, "{\"endpoint_name\":\"x\",\"high_assurance\":" + c[1] + "}");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.code()).isEqualTo("HIGH_ASSURANCE_IMMUTABLE");
        }
        assertThat(api.call("PUT", "/v3/endpoints/" + ha, alice, "{\"endpoint_name\":\"ha\",\"high_assurance\":true}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void functionsArePinnedToTheirEndpointAndNeverPublic() throws Exception {
        String ha = endpoint(alice, "ha", true);
        String plain = endpoint(alice, "plain", false);
        String bobs = endpoint(bob, "bobs-ha", true);
        assertThat(function(alice, ",\"ha_endpoint_id\":\"" + ha + "\",\"public\":true")
                        .code())
                .isEqualTo("SEMANTICALLY_INVALID");
        assertThat(function(alice, ",\"ha_endpoint_id\":\"" + plain + "\"").code())
                .isEqualTo("SEMANTICALLY_INVALID");
        assertThat(function(alice, ",\"ha_endpoint_id\":\"" + bobs + "\"").code())
                .as("another's endpoint is not there")
                .isEqualTo("ENDPOINT_NOT_FOUND");
        String pinned = pinned(alice, ha);
        String ordinary = function(alice, "").body().get("function_uuid").asText();
        long tasks = api.count("tasks");
        for (String[] c : new String[][] {{plain, pinned}, {ha, ordinary}}) {
            ApiFixture.Reply r = AllowedFunctionsApiTest.submit(c[0], alice, c[1]);
            assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("FUNCTION_NOT_PERMITTED");
        }
        assertThat(api.count("tasks")).isEqualTo(tasks);
        assertThat(AllowedFunctionsApiTest.submit(ha, alice, pinned).status()).isEqualTo(200);
    }

    @Test
    void theUsersOfAHighAssuranceMultiUserManagerPinTheirFunctionsToItAndNoOneElseDoes() throws Exception {
        ApiFixture.Reply m = api.call(
                "POST",
                "/v3/endpoints",
                "{\"endpoint_name\":\"ha-site\",\"multi_user\":true,\"manager\":true,\"high_assurance\":true}");
        assertThat(m.status()).as(m.body().toString()).isEqualTo(200);
        String site = m.body().get("endpoint_id").asText();
        assertThat(function(bob, ",\"ha_endpoint_id\":\"" + site + "\"").status())
                .as("a user of the site, not its owner")
                .isEqualTo(200);
        String personal = endpoint(api.token(), "personal-ha", true);
        assertThat(function(bob, ",\"ha_endpoint_id\":\"" + personal + "\"").code())
                .as("a personal endpoint is its owner's only")
                .isEqualTo("ENDPOINT_NOT_FOUND");
    }

    @Test
    void aHighAssuranceFunctionIdleForNinetyDaysIsPurgedAndNoOtherIs() throws Exception {
        String ha = endpoint(alice, "ha-idle", true);
        String idle = pinned(alice, ha);
        String busy = pinned(alice, ha);
        String ordinary = function(alice, "").body().get("function_uuid").asText();
        long longAgo = System.currentTimeMillis() - Housekeeper.HA_FUNCTION_IDLE.toMillis() - 60_000;
        for (String f : List.of(idle, busy, ordinary)) {
            api.service
                    .database()
                    .update("UPDATE functions SET created_at = ? WHERE id = ?", longAgo, UUID.fromString(f));
        }
        assertThat(AllowedFunctionsApiTest.submit(ha, alice, busy).status()).isEqualTo(200); // used today
        api.service.housekeeper().runOnce();

        assertThat(api.call("GET", "/v2/functions/" + idle, alice, null).status())
                .isEqualTo(404);
        ApiFixture.Reply r = AllowedFunctionsApiTest.submit(ha, alice, idle);
        assertThat(r.code()).isEqualTo("FUNCTION_NOT_FOUND");
        assertThat(AllowedFunctionsApiTest.submit(ha, alice, busy).status()).isEqualTo(200);
        assertThat(api.call("GET", "/v2/functions/" + ordinary, alice, null).status())
                .as("only high-assurance functions are purged")
                .isEqualTo(200);
    }

    @Test
    void aResultIsNeverPushedOnlyANoticeAndRestReturnsIt() throws Exception {
        String ha = endpoint(alice, "ha", true);
        String pinned = pinned(alice, ha);
        List<String> submitted = TenantIsolationTest.submit(alice, ha, pinned, 1);
        String task = submitted.get(0);
        TaskGroupId group = TaskGroupId.of(submitted.get(1));
        BlockingQueue<String> live = new LinkedBlockingQueue<>();
        WebSocket stream = api.stream(alice, ApiFixture.collect(live));
        stream.sendText(Json.write(new StreamMessage.Subscribe(group, false, false)), true)
                .get(5, TimeUnit.SECONDS);
        try (ScriptedChannel ch = api.channel(ha, alice, 10)) {
            TaskMessage t = TenantIsolationTest.received(ch, task);
            TenantIsolationTest.roundTrip(ch, TenantIsolationTest.success(t, RESULT));
        }
        assertNotice(live.poll(10, TimeUnit.SECONDS), task);

        BlockingQueue<String> replayed = new LinkedBlockingQueue<>();
        WebSocket later = api.stream(alice, ApiFixture.collect(replayed));
        later.sendText(Json.write(new StreamMessage.Subscribe(group, true, false)), true)
                .get(5, TimeUnit.SECONDS);
        assertNotice(replayed.poll(10, TimeUnit.SECONDS), task);

        JsonNode fetched = api.call("GET", "/v2/tasks/" + task, alice, null).body();
        assertThat(fetched.get("result").asText()).isEqualTo(RESULT);
        assertThat(fetched.has("high_assurance")).isFalse();
        stream.abort();
        later.abort();
    }

    private static void assertNotice(String frame, String task) {
        assertThat(frame).as("a frame on the stream").isNotNull();
        assertThat(frame).contains(task).contains("\"high_assurance\":true").contains("\"status\":\"success\"");
        assertThat(frame).doesNotContain(RESULT.strip()).doesNotContain("\"result\"");
    }
}
