package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.ChannelMessage;
import java.time.Duration;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An endpoint's {@code allowed_functions} (S6): a submit of any other function is a 403 that stores nothing and,
 * on an endpoint manager, starts nothing; public functions are how an administrator offers the listed ones.
 */
class AllowedFunctionsApiTest extends AliceAndBob {
    static String function(String token, boolean isPublic) throws Exception {
        ApiFixture.Reply r = api.call(
                "POST",
                "/v3/functions",
                token,
                "{\"function_name\":\"f\",\"function_code\":" + Json.write(ServiceApiTest.CODE) + ",\"public\":"
                        + isPublic + "}");
        assertThat(r.status()).isEqualTo(200);
        return r.body().get("function_uuid").asText();
    }

    static String endpoint(String name, String extra) throws Exception {
        ApiFixture.Reply r = api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"" + name + "\"" + extra + "}");
        assertThat(r.status()).isEqualTo(200);
        return r.body().get("endpoint_id").asText();
    }

    static ApiFixture.Reply submit(String endpoint, String token, String... functions) throws Exception {
        StringBuilder tasks = new StringBuilder();
        for (String f : functions) {
            tasks.append(tasks.length() == 0 ? "" : ",")
                    .append('"')
                    .append(f)
                    .append("\":[")
                    .append(Json.write(ServiceApiTest.PAYLOAD))
                    .append(']');
        }
        return api.call(
                "POST",
                "/v3/endpoints/" + endpoint + "/submit",
                token,
                "{\"tasks\":{" + tasks + "},\"user_endpoint_config\":{},\"user_runtime\":{\"java_version\":\"21\"}}");
    }

    @Test
    void aFunctionNotInTheListIsRefusedWith403AndNothingIsStored() throws Exception {
        String allowed = function(api.token(), false);
        String other = function(api.token(), false);
        String ep = endpoint("guarded", ",\"allowed_functions\":[\"" + allowed + "\"]");
        long tasks = api.count("tasks");

        for (ApiFixture.Reply r :
                new ApiFixture.Reply[] {submit(ep, api.token(), other), submit(ep, api.token(), allowed, other)}) {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("FUNCTION_NOT_PERMITTED");
            assertThat(r.body().get("detail").asText()).contains(other).contains("allowed_functions");
        }
        assertThat(api.count("tasks"))
                .as("nothing of a refused batch is stored")
                .isEqualTo(tasks);
        assertThat(submit(ep, api.token(), allowed).status()).isEqualTo(200);
        assertThat(api.count("tasks")).isEqualTo(tasks + 1);

        ApiFixture.Reply list = api.call("GET", "/v3/endpoints/" + ep + "/allowed_functions", null);
        assertThat(list.body().get("restricted").asBoolean()).isTrue();
        assertThat(list.body().get("functions"))
                .singleElement()
                .satisfies(f -> assertThat(f.asText()).isEqualTo(allowed));

        // registered again without a list, the endpoint runs anything
        assertThat(api.call("PUT", "/v3/endpoints/" + ep, "{\"endpoint_name\":\"guarded\"}")
                        .status())
                .isEqualTo(200);
        assertThat(api.call("GET", "/v3/endpoints/" + ep + "/allowed_functions", null)
                        .body()
                        .get("restricted")
                        .asBoolean())
                .isFalse();
        assertThat(submit(ep, api.token(), other).status()).isEqualTo(200);
        assertThat(api.call("GET", "/v3/endpoints/" + ep + "/allowed_functions", alice, null)
                        .status())
                .as("someone who may not submit there does not see it")
                .isEqualTo(404);
    }

    @Test
    void aBadListIsRefusedAndNothingIsRegistered() throws Exception {
        long endpoints = api.count("endpoints");
        ApiFixture.Reply notUuid = api.call(
                "POST", "/v3/endpoints", "{\"endpoint_name\":\"bad\",\"allowed_functions\":[\"../../etc/passwd\"]}");
        assertThat(notUuid.status()).isEqualTo(400);
        assertThat(notUuid.code()).isEqualTo("INVALID_UUID");
        ApiFixture.Reply notList =
                api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"bad\",\"allowed_functions\":7}");
        assertThat(notList.status()).isBetween(400, 422);
        String many = String.join(",", Collections.nCopies(10_001, "\"" + UUID.randomUUID() + "\""));
        ApiFixture.Reply tooMany =
                api.call("POST", "/v3/endpoints", "{\"endpoint_name\":\"bad\",\"allowed_functions\":[" + many + "]}");
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.body().get("detail").asText()).contains("at most 10000");
        assertThat(api.count("endpoints")).isEqualTo(endpoints);
    }

    @Test
    void aManagersListIsCheckedBeforeAnythingStartsAndHoldsForItsUserEndpoints() throws Exception {
        String offered = function(api.token(), true);
        String m =
                endpoint("site", ",\"multi_user\":true,\"manager\":true,\"allowed_functions\":[\"" + offered + "\"]");
        String own = function(alice, false);
        try (ScriptedChannel ch = api.channel(m, api.token())) {
            long starts = api.count("user_endpoint_starts");
            ApiFixture.Reply refused = submit(m, alice, own);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("FUNCTION_NOT_PERMITTED");
            assertThat(api.count("user_endpoint_starts"))
                    .as("no user endpoint was asked for")
                    .isEqualTo(starts);

            CompletableFuture<ApiFixture.Reply> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return submit(m, alice, offered);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ChannelMessage.StartUserEndpoint s =
                    ch.next(ChannelMessage.StartUserEndpoint.class, Duration.ofSeconds(10));
            ch.send(new ChannelMessage.StartAnswer(s.requestId(), s.userEndpoint(), null, true));
            ApiFixture.Reply ok = reply.get();
            assertThat(ok.status()).isEqualTo(200);
            String uep = ok.body().get("endpoint_id").asText();

            // submitted straight to the user endpoint, the manager's list still holds
            assertThat(submit(uep, alice, own).code()).isEqualTo("FUNCTION_NOT_PERMITTED");
            ApiFixture.Reply list = api.call("GET", "/v3/endpoints/" + uep + "/allowed_functions", alice, null);
            assertThat(list.body().get("functions"))
                    .singleElement()
                    .satisfies(f -> assertThat(f.asText()).isEqualTo(offered));
            assertThat(api.call("GET", "/v3/endpoints/" + uep + "/allowed_functions", bob, null)
                            .status())
                    .isEqualTo(404);
        }
    }

    @Test
    void aPublicFunctionIsReadAndRunByAnyoneAndDeletedByItsOwnerOnly() throws Exception {
        String shared = function(alice, true);
        String mine = function(alice, false);
        assertThat(api.call("GET", "/v2/functions/" + shared, bob, null).status())
                .isEqualTo(200);
        assertThat(api.call("GET", "/v2/functions/" + mine, bob, null).code()).isEqualTo("FUNCTION_NOT_FOUND");
        ApiFixture.Reply reg = api.call("POST", "/v3/endpoints", bob, "{\"endpoint_name\":\"bobs\"}");
        String ep = reg.body().get("endpoint_id").asText();
        assertThat(submit(ep, bob, shared).status()).isEqualTo(200);
        assertThat(submit(ep, bob, mine).code()).isEqualTo("FUNCTION_NOT_FOUND");
        assertThat(api.call("DELETE", "/v2/functions/" + shared, bob, null).status())
                .isEqualTo(404);
        assertThat(api.call("DELETE", "/v2/functions/" + shared, alice, null).status())
                .isEqualTo(200);
        assertThat(submit(ep, bob, shared).code()).isEqualTo("FUNCTION_NOT_FOUND");
    }
}
