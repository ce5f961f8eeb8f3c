package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import org.junit.jupiter.api.Test;

/**
 * Functions shared with a group (Globus Compute's {@code group}): the owner of a sharing group manages its members;
 * a function registered with the group is seen and run by them and by nobody else; a member who leaves loses it;
 * to anyone outside, the group and its functions do not exist.
 */
class GroupSharingApiTest extends AliceAndBob {

    static String group(String token, String name) throws Exception {
        ApiFixture.Reply r = api.call("POST", "/v3/groups", token, "{\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().get("group_id").asText();
    }

    static ApiFixture.Reply shared(String token, String extra) throws Exception {
        return HighAssuranceApiTest.function(token, extra);
    }

    @Test
    void aGroupsMembersSeeAndRunItsFunctionsAndNobodyElseDoes() throws Exception {
        String carol = api.identity("carol@example.org");
        String lab = group(alice, "lab");
        JsonNode added = api.call("PUT", "/v3/groups/" + lab + "/members/bob@example.org", alice, null)
                .body();
        assertThat(added.get("members").findValuesAsText("username"))
                .containsExactly("alice@example.org", "bob@example.org");
        ApiFixture.Reply registered = shared(alice, ",\"group\":\"" + lab + "\"");
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(200);
        String fn = registered.body().get("function_uuid").asText();
        String bobs = TenantIsolationTest.endpoint(bob, "bobs-lab");
        String carols = TenantIsolationTest.endpoint(carol, "carols");

        assertThat(api.call("GET", "/v2/functions/" + fn, bob, null).status()).isEqualTo(200);
        assertThat(AllowedFunctionsApiTest.submit(bobs, bob, fn).status())
                .as("a member runs it")
                .isEqualTo(200);
        assertThat(api.call("GET", "/v3/groups", bob, null).body().toString()).contains(lab);
        long tasks = api.count("tasks");
        assertThat(api.call("GET", "/v2/functions/" + fn, carol, null).code()).isEqualTo("FUNCTION_NOT_FOUND");
        assertThat(AllowedFunctionsApiTest.submit(carols, carol, fn).code()).isEqualTo("FUNCTION_NOT_FOUND");
        assertThat(api.call("GET", "/v3/groups/" + lab, carol, null).code()).isEqualTo("GROUP_NOT_FOUND");
        assertThat(api.call("GET", "/v3/groups", carol, null).body().toString()).doesNotContain(lab);
        ApiFixture.Reply joinsItself = api.call("PUT", "/v3/groups/" + lab + "/members/carol@example.org", carol, null);
        assertThat(joinsItself.code()).as("a stranger cannot join").isEqualTo("GROUP_NOT_FOUND");
        assertThat(shared(carol, ",\"group\":\"" + lab + "\"").code())
                .as("nor share into it")
                .isEqualTo("GROUP_NOT_FOUND");
        assertThat(api.count("tasks")).as("nothing stored for carol").isEqualTo(tasks);

        ApiFixture.Reply bobAdds = api.call("PUT", "/v3/groups/" + lab + "/members/carol@example.org", bob, null);
        assertThat(bobAdds.status()).as("a member who does not own it").isEqualTo(403);
        assertThat(api.call("DELETE", "/v3/groups/" + lab + "/members/bob@example.org", bob, null)
                        .status())
                .isEqualTo(403);
        assertThat(api.call("DELETE", "/v3/groups/" + lab + "/members/alice@example.org", alice, null)
                        .code())
                .as("the owner stays")
                .isEqualTo("SEMANTICALLY_INVALID");
        assertThat(api.call("PUT", "/v3/groups/" + lab + "/members/nobody@example.org", alice, null)
                        .code())
                .isEqualTo("IDENTITY_NOT_FOUND");
        assertThat(api.call("DELETE", "/v3/groups/" + lab + "/members/bob@example.org", alice, null)
                        .status())
                .isEqualTo(200);
        assertThat(AllowedFunctionsApiTest.submit(bobs, bob, fn).code())
                .as("a member who left")
                .isEqualTo("FUNCTION_NOT_FOUND");
        assertThat(api.call("DELETE", "/v2/functions/" + fn, bob, null).status())
                .isEqualTo(404);
    }

    @Test
    void aPinnedFunctionIsNeverSharedAndBadGroupsAreRefused() throws Exception {
        String lab = group(alice, "pinned-lab");
        String ha = HighAssuranceApiTest.endpoint(alice, "ha-shared", true);
        ApiFixture.Reply both = shared(alice, ",\"group\":\"" + lab + "\",\"ha_endpoint_id\":\"" + ha + "\"");
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.body().get("reason").asText()).contains("cannot be shared");
        assertThat(shared(alice, ",\"group\":\"not-a-uuid\"").code()).isIn("INVALID_UUID", "SEMANTICALLY_INVALID");
        assertThat(shared(alice, ",\"group\":\"" + java.util.UUID.randomUUID() + "\"")
                        .code())
                .isEqualTo("GROUP_NOT_FOUND");
        assertThat(api.call("POST", "/v3/groups", alice, "{\"name\":\"\"}").status())
                .isEqualTo(422);
        assertThat(api.call("POST", "/v3/groups", alice, Json.write(java.util.Map.of("name", "x".repeat(129))))
                        .status())
                .isEqualTo(422);
        String movedDash = lab.substring(0, 7) + "-" + lab.charAt(7) + lab.substring(9);
        assertThat(api.call("GET", "/v3/groups/" + movedDash, alice, null).code())
                .as("ids in canonical form only")
                .isEqualTo("INVALID_UUID");
    }
}
