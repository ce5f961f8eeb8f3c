package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.ChannelMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Submits to endpoint managers, with the manager's side of the channel scripted by the test: a start request
 * per new user endpoint, the manager's answer deciding the submit, and the user endpoint's scoped token.
 */
class EndpointManagerApiTest extends AliceAndBob {
    static String manager(String name, boolean multiUser) throws Exception {
        return api.call(
                        "POST",
                        "/v3/endpoints",
                        "{\"endpoint_name\":\"" + name + "\",\"multi_user\":" + multiUser + ",\"manager\":true}")
                .body()
                .get("endpoint_id")
                .asText();
    }

    /** A function of the identity with {@code token} (functions are their owner's). */
    static String function(String token) throws Exception {
        return api.call(
                        "POST",
                        "/v3/functions",
                        token,
                        "{\"function_name\":\"f\",\"function_code\":" + Json.write(ServiceApiTest.CODE) + "}")
                .body()
                .get("function_uuid")
                .asText();
    }

    static String submitBody(String function, String config) {
        return "{\"tasks\":{\"" + function + "\":[" + Json.write(ServiceApiTest.PAYLOAD)
                + "]},\"user_endpoint_config\":" + config + ",\"user_runtime\":{\"java_version\":\"21\"}}";
    }

    static CompletableFuture<ApiFixture.Reply> submitAsync(String manager, String token, String config)
            throws Exception {
        String body = submitBody(function(token), config);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return api.call("POST", "/v3/endpoints/" + manager + "/submit", token, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aRefusedStartFailsTheSubmitWithTheManagersReasonAndStoresNothing() throws Exception {
        String m = manager("refusing", true);
        long tasksBefore = api.count("tasks");
        try (ScriptedChannel ch = api.channel(m, api.token())) {
            var reply = submitAsync(m, alice, "{\"x\":1}");
            ChannelMessage.StartUserEndpoint s =
                    ch.next(ChannelMessage.StartUserEndpoint.class, Duration.ofSeconds(10));
            assertThat(s.identities())
                    .singleElement()
                    .satisfies(i -> assertThat(i.get("username")).isEqualTo("alice@example.org"));
            assertThat(s.userConfig().get("x").asInt()).isEqualTo(1);
            assertThat(s.userRuntime().get("java_version").asText()).isEqualTo("21");
            assertThat(Math.abs(System.currentTimeMillis() - s.issuedAtMs())).isLessThan(10_000);
            ch.send(new ChannelMessage.StartAnswer(
                    s.requestId(), s.userEndpoint(), "local user 'x' does not exist", false));
            ApiFixture.Reply r = reply.get();
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.code()).isEqualTo("USER_ENDPOINT_START_FAILED");
            assertThat(r.body().get("detail").asText()).contains("local user 'x' does not exist");
            // the token sent for a start that did not happen is revoked
            assertThatThrownBy(() -> new ScriptedChannel(
                            api.http, api.service.url(), s.userEndpoint().toString(), s.token()))
                    .hasStackTraceContaining("401");
        }
        assertThat(api.count("tasks")).isEqualTo(tasksBefore);
    }

    @Test
    void aStartedUserEndpointTakesTheTasksWithAScopedToken() throws Exception {
        String m = manager("site", true);
        try (ScriptedChannel ch = api.channel(m, api.token())) {
            var reply = submitAsync(m, bob, "{\"workers\":2}");
            ChannelMessage.StartUserEndpoint s =
                    ch.next(ChannelMessage.StartUserEndpoint.class, Duration.ofSeconds(10));
            ch.send(new ChannelMessage.StartAnswer(s.requestId(), s.userEndpoint(), null, true));
            ApiFixture.Reply r = reply.get();
            assertThat(r.status()).isEqualTo(200);
            String uep = r.body().get("endpoint_id").asText();
            assertThat(uep).isEqualTo(s.userEndpoint().toString()).isNotEqualTo(m);
            String task = r.body().get("tasks").iterator().next().get(0).asText();

            // the token opens that user endpoint's channel, and nothing else
            assertThat(api.call("GET", "/v2/endpoints", s.token(), null).status())
                    .isEqualTo(403);
            assertThat(api.call("POST", "/v3/endpoints/" + m + "/submit", s.token(), submitBody(function(bob), "{}"))
                            .status())
                    .isEqualTo(403);
            assertThatThrownBy(() -> new ScriptedChannel(api.http, api.service.url(), m, s.token()))
                    .hasStackTraceContaining("403");
            try (ScriptedChannel user = api.channel(uep, s.token())) {
                user.send(new ChannelMessage.Status(null, 10));
                ChannelMessage.Tasks t = user.next(ChannelMessage.Tasks.class, Duration.ofSeconds(10));
                assertThat(t.tasks())
                        .singleElement()
                        .satisfies(x -> assertThat(x.task().toString()).isEqualTo(task));
            }
            // with it gone, a submit asks for it again (and so may the service, as its task went back to the queue);
            // the manager finds it running each time: those requests' tokens are revoked, the first one's kept
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> api.call("GET", "/v2/endpoints/" + uep + "/status", null)
                            .body()
                            .path("status")
                            .asText()
                            .equals("offline"));
            var again = submitAsync(m, bob, "{\"workers\":2}");
            List<ChannelMessage.StartUserEndpoint> asked = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!again.isDone() && System.nanoTime() < deadline) {
                if (ch.received.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS)
                        instanceof ChannelMessage.StartUserEndpoint s2) {
                    asked.add(s2);
                    ch.send(new ChannelMessage.StartAnswer(s2.requestId(), s2.userEndpoint(), null, false));
                }
            }
            assertThat(again.get().status()).isEqualTo(200);
            assertThat(asked).isNotEmpty().allMatch(x -> x.userEndpoint().equals(s.userEndpoint()));
            for (ChannelMessage.StartUserEndpoint x : asked) {
                assertThatThrownBy(() -> new ScriptedChannel(api.http, api.service.url(), uep, x.token()))
                        .hasStackTraceContaining("401");
            }
            // the same submitter and values reach the same user endpoint; others get their own
            assertThat(UserEndpointStarts.idOf(EndpointId.of(m), UUID.randomUUID(), null, null))
                    .isNotEqualTo(EndpointId.of(uep));
        }
    }

    @Test
    void theUserEndpointIdDependsOnEveryInputButNotOnKeyOrder() {
        EndpointId m = EndpointId.random();
        UUID who = UUID.randomUUID();
        JsonNode a = Json.read("{\"a\":1,\"b\":{\"c\":[1,2],\"d\":\"x\"}}", JsonNode.class);
        JsonNode b = Json.read("{\"b\":{\"d\":\"x\",\"c\":[1,2]},\"a\":1}", JsonNode.class);
        JsonNode rt = Json.read("{\"java_version\":\"21\"}", JsonNode.class);
        assertThat(UserEndpointStarts.idOf(m, who, a, rt)).isEqualTo(UserEndpointStarts.idOf(m, who, b, rt));
        assertThat(UserEndpointStarts.idOf(m, who, a, rt))
                .isNotEqualTo(UserEndpointStarts.idOf(m, UUID.randomUUID(), a, rt));
        assertThat(UserEndpointStarts.idOf(m, who, a, rt))
                .isNotEqualTo(UserEndpointStarts.idOf(EndpointId.random(), who, a, rt));
        assertThat(UserEndpointStarts.idOf(m, who, a, rt)).isNotEqualTo(UserEndpointStarts.idOf(m, who, a, null));
        assertThat(UserEndpointStarts.idOf(m, who, null, rt))
                .isEqualTo(UserEndpointStarts.idOf(m, who, Json.read("{}", JsonNode.class), rt));
    }

    @Test
    void anOfflineManagerAPersonalManagerAndAnotherUsersEndpointAreRefused() throws Exception {
        String offline = manager("offline", true);
        String fn = function(alice);
        ApiFixture.Reply r = api.call("POST", "/v3/endpoints/" + offline + "/submit", alice, submitBody(fn, "{}"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("ENDPOINT_MANAGER_OFFLINE");
        String personal = manager("personal", false);
        assertThat(api.call("POST", "/v3/endpoints/" + personal + "/submit", alice, submitBody(fn, "{}"))
                        .code())
                .isEqualTo("ENDPOINT_NOT_FOUND");
        String plain = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"plain\"}")
                .body()
                .get("endpoint_id")
                .asText();
        assertThat(api.call("POST", "/v3/endpoints/" + plain + "/submit", alice, submitBody(fn, "{}"))
                        .code())
                .isEqualTo("ENDPOINT_NOT_FOUND");
    }

    @Test
    void onlyTheAdministratorAddsIdentitiesAndUsernamesAreChecked() throws Exception {
        assertThat(api.call("POST", "/v3/identities", alice, "{\"username\":\"eve@example.org\"}")
                        .status())
                .isEqualTo(403);
        ApiFixture.Reply bad = api.call("POST", "/v3/identities", "{\"username\":\"a b\\nc\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(api.call("POST", "/v3/identities", "{\"username\":\"alice@example.org\"}")
                        .body()
                        .get("token")
                        .asText())
                .isNotEqualTo(alice); // a new token for the same identity
    }
}
