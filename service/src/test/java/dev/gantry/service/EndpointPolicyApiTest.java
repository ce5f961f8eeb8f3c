package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what with an endpoint: its {@code admins} see, watch and lock it but neither delete it nor submit to a
 * personal one; its {@code submit_policy} refuses identities of domains it does not accept (S21), storing nothing.
 */
class EndpointPolicyApiTest extends AliceAndBob {
    static String carol;
    static String aliceFunction;

    @BeforeAll
    static void more() throws Exception {
        carol = api.identity("carol@other.net");
        aliceFunction = AllowedFunctionsApiTest.function(alice, true);
    }

    static String endpoint(String token, String extra) throws Exception {
        ApiFixture.Reply r = api.call("POST", "/v3/endpoints", token, "{\"endpoint_name\":\"guarded\"" + extra + "}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body().get("endpoint_id").asText();
    }

    @Test
    void anAdminSeesWatchesAndLocksButNeitherDeletesNorSubmits() throws Exception {
        String ep = endpoint(alice, ",\"admins\":[\"bob@example.org\"]");
        for (String path : new String[] {"/v2/endpoints/" + ep, "/v2/endpoints/" + ep + "/status"}) {
            assertThat(api.call("GET", path, bob, null).status()).as(path).isEqualTo(200);
            ApiFixture.Reply stranger = api.call("GET", path, carol, null);
            assertThat(stranger.status()).isEqualTo(404);
            assertThat(stranger.body().get("code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        }
        long tasks = api.count("tasks");
        ApiFixture.Reply submit = AllowedFunctionsApiTest.submit(ep, bob, aliceFunction);
        assertThat(submit.status())
                .as("a personal endpoint runs its owner's tasks only")
                .isEqualTo(404);
        assertThat(api.count("tasks")).isEqualTo(tasks);
        assertThat(api.call("DELETE", "/v3/endpoints/" + ep, bob, null).status())
                .isEqualTo(404);
        assertThat(api.call("POST", "/v3/endpoints/" + ep + "/lock", carol, "{}")
                        .status())
                .isEqualTo(404);
        ApiFixture.Reply lock = api.call("POST", "/v3/endpoints/" + ep + "/lock", bob, "{}");
        assertThat(lock.status()).as(lock.body().toString()).isEqualTo(200);
        assertThat(api.call("GET", "/v2/endpoints/" + ep, alice, null).status()).isEqualTo(200);
    }

    @Test
    void adminsNamedByIdOrUsernameMustBeIdentities() throws Exception {
        String bobId = api.call("POST", "/v3/endpoints", bob, "{\"endpoint_name\":\"bobs\"}")
                .body()
                .get("owner_id")
                .asText();
        long endpoints = api.count("endpoints");
        ApiFixture.Reply unknown =
                api.call("POST", "/v3/endpoints", alice, "{\"endpoint_name\":\"x\",\"admins\":[\"nobody@nowhere\"]}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().get("code").asText()).isEqualTo("SEMANTICALLY_INVALID");
        assertThat(unknown.body().get("detail").asText()).contains("nobody@nowhere");
        assertThat(api.count("endpoints")).as("nothing half-written").isEqualTo(endpoints);
        String ep = endpoint(alice, ",\"admins\":[\"" + bobId + "\"]");
        assertThat(api.call("GET", "/v2/endpoints/" + ep, bob, null).status()).isEqualTo(200);
    }

    @Test
    void aDomainThePolicyDoesNotAcceptIsRefusedAndNothingIsStored() throws Exception {
        String onlyExampleOrg = endpoint(alice, ",\"submit_policy\":{\"allowed_domains\":[\"*.example.org\"]}");
        assertThat(AllowedFunctionsApiTest.submit(onlyExampleOrg, alice, aliceFunction)
                        .status())
                .isEqualTo(200);
        String excluded = endpoint(carol, ",\"submit_policy\":{\"excluded_domains\":[\"other.net\"]}");
        long tasks = api.count("tasks");
        ApiFixture.Reply refused = AllowedFunctionsApiTest.submit(excluded, carol, aliceFunction);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("code").asText()).isEqualTo("DOMAIN_NOT_ALLOWED");
        assertThat(refused.body().get("detail").asText()).contains("other.net");
        assertThat(api.count("tasks")).isEqualTo(tasks);
    }

    @Test
    void aMultiUserManagersPolicyHoldsForEveryone() throws Exception {
        String manager = endpoint(
                alice,
                ",\"manager\":true,\"multi_user\":true,\"submit_policy\":{\"allowed_domains\":[\"example.org\"]}");
        long tasks = api.count("tasks");
        long endpoints = api.count("endpoints");
        ApiFixture.Reply refused = AllowedFunctionsApiTest.submit(manager, carol, aliceFunction);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("code").asText()).isEqualTo("DOMAIN_NOT_ALLOWED");
        assertThat(api.count("tasks")).isEqualTo(tasks);
        assertThat(api.count("endpoints")).as("no user endpoint registered").isEqualTo(endpoints);
    }

    @Test
    void aBadPolicyIsRefusedAtRegistration() throws Exception {
        for (String policy : new String[] {
            "{\"allowed_domains\":[\"exa mple.org\"]}", "{\"max_login_age_seconds\":0}", "{\"allowed_domains\":\"x\"}"
        }) {
            ApiFixture.Reply r = api.call(
                    "POST", "/v3/endpoints", alice, "{\"endpoint_name\":\"x\",\"submit_policy\":" + policy + "}");
            assertThat(r.status()).as(policy + ": " + r.body()).isBetween(400, 422);
        }
    }
}
