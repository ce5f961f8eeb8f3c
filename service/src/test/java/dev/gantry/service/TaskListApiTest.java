package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v3/tasks}: the caller's tasks only, newest first, by page, filtered, counted by state. */
class TaskListApiTest extends AliceAndBob {
    static String aliceEndpoint;
    static String otherEndpoint;
    static String function;
    static List<String> first;
    static List<String> second;

    @BeforeAll
    static void tasks() throws Exception {
        aliceEndpoint = TenantIsolationTest.endpoint(alice, "alice-ep");
        otherEndpoint = TenantIsolationTest.endpoint(alice, "alice-other");
        function = EndpointManagerApiTest.function(alice);
        first = TenantIsolationTest.submit(alice, aliceEndpoint, function, 5);
        second = TenantIsolationTest.submit(alice, otherEndpoint, function, 2);
        String bobEndpoint = TenantIsolationTest.endpoint(bob, "bob-ep");
        TenantIsolationTest.submit(bob, bobEndpoint, EndpointManagerApiTest.function(bob), 3);
        api.call("POST", "/v3/tasks/" + second.get(0) + "/cancel", alice, "{}");
    }

    static JsonNode list(String token, String query) throws Exception {
        ApiFixture.Reply r = api.call("GET", "/v3/tasks" + query, token, null);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        return r.body();
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("tasks").forEach(t -> out.add(t.get("task_id").asText()));
        return out;
    }

    @Test
    void listsOnlyTheCallersTasksNewestFirstWithCountsByState() throws Exception {
        JsonNode all = list(alice, "");
        assertThat(all.get("total").asLong()).isEqualTo(7);
        assertThat(ids(all)).startsWith(second.get(1), second.get(0)).hasSize(7);
        assertThat(all.get("counts").get("waiting-for-ep").asLong()).isEqualTo(6);
        assertThat(all.get("counts").get("cancelled").asLong()).isEqualTo(1);
        assertThat(all.hasNonNull("next")).isFalse();
        JsonNode entry = all.get("tasks").get(0);
        assertThat(entry.get("endpoint_id").asText()).isEqualTo(otherEndpoint);
        assertThat(entry.get("function_id").asText()).isEqualTo(function);
        assertThat(entry.get("status").asText()).isEqualTo("waiting-for-ep");
        assertThat(list(bob, "").get("total").asLong()).isEqualTo(3);
        assertThat(ids(list(bob, ""))).doesNotContainAnyElementsOf(ids(all));
    }

    @Test
    void filtersByEndpointGroupFunctionAndState() throws Exception {
        assertThat(ids(list(alice, "?endpoint_id=" + aliceEndpoint)))
                .containsExactlyInAnyOrderElementsOf(first.subList(0, 5));
        assertThat(ids(list(alice, "?task_group_id=" + second.get(2)))).containsExactly(second.get(1), second.get(0));
        assertThat(list(alice, "?function_id=" + function).get("total").asLong())
                .isEqualTo(7);
        assertThat(ids(list(alice, "?status=cancelled"))).containsExactly(second.get(0));
        assertThat(list(bob, "?endpoint_id=" + aliceEndpoint).get("total").asLong())
                .isZero();
    }

    @Test
    void pagesFollowTheCursorWithoutRepeatsOrGaps() throws Exception {
        List<String> seen = new ArrayList<>();
        String query = "?limit=3";
        JsonNode page;
        int pages = 0;
        do {
            page = list(alice, query);
            seen.addAll(ids(page));
            query = "?limit=3&before=" + page.path("next").asText();
            pages++;
        } while (page.hasNonNull("next"));
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(ids(list(alice, "")));
    }

    @Test
    void badFiltersAreRefusedWithTheirCodes() throws Exception {
        ApiFixture.Reply badId = api.call("GET", "/v3/tasks?endpoint_id=nope", alice, null);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.body().get("code").asText()).isEqualTo("INVALID_UUID");
        ApiFixture.Reply badState = api.call("GET", "/v3/tasks?status=done", alice, null);
        assertThat(badState.status()).isEqualTo(422);
        assertThat(badState.body().get("reason").asText()).contains("unknown task state 'done'");
        ApiFixture.Reply badLimit = api.call("GET", "/v3/tasks?limit=0", alice, null);
        assertThat(badLimit.status()).isEqualTo(422);
        assertThat(api.call("GET", "/v3/tasks?limit=x", alice, null).status()).isEqualTo(422);
        assertThat(api.call("GET", "/v3/tasks", "not-a-token", null).status()).isEqualTo(401);
    }
}
