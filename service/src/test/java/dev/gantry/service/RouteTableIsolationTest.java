package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gantry.protocol.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation on every route of the service's own table (S20): each route that takes an id is called by bob
 * with alice's id of its kind and must answer 404 with that kind's code, changing nothing; each listing shows bob
 * none of alice's ids. A new route fails this test until it is added here with its check.
 */
class RouteTableIsolationTest extends AliceAndBob {
    /** The code each kind of id answers when the caller may not see it. */
    private static final Map<String, String> CODES = Map.of(
            "tasks", "TASK_NOT_FOUND",
            "taskgroup", "TASK_GROUP_NOT_FOUND",
            "functions", "FUNCTION_NOT_FOUND",
            "endpoints", "ENDPOINT_NOT_FOUND",
            "tokens", "TOKEN_NOT_FOUND",
            "groups", "GROUP_NOT_FOUND");

    /** Routes that take no id: what each shows bob is checked below, or it is alice's own business. */
    private static final Set<String> WITHOUT_ID = Set.of(
            "GET /v2/version",
            "POST /v3/functions",
            "POST /v2/functions",
            "POST /v3/endpoints",
            "GET /v2/endpoints",
            "POST /v2/batch_status",
            "GET /v3/tasks",
            "GET /v3/tokens",
            "POST /v3/tokens",
            "GET /v3/groups",
            "POST /v3/groups",
            "POST /v3/identities",
            "POST /v3/identities/links",
            "GET /v2/get_amqp_result_connection_url",
            "WS /v3/stream");

    @Test
    void everyRouteWithAnIdAnswersAnotherTenant404AndChangesNothing() throws Exception {
        String function = AllowedFunctionsApiTest.function(alice, false);
        String endpoint = TenantIsolationTest.endpoint(alice, "alices");
        ApiFixture.Reply submitted = api.call(
                "POST", "/v3/endpoints/" + endpoint + "/submit", alice, ServiceApiTest.submitBody(function, 1));
        String task = submitted.body().get("tasks").get(function).get(0).asText();
        String group = submitted.body().get("task_group_id").asText();
        String token = api.call("POST", "/v3/tokens", alice, "{\"name\":\"kept\"}")
                .body()
                .get("token_id")
                .asText();
        String sharing = GroupSharingApiTest.group(alice, "alices-group");
        Map<String, String> ids = Map.of(
                "tasks",
                task,
                "taskgroup",
                group,
                "functions",
                function,
                "endpoints",
                endpoint,
                "tokens",
                token,
                "groups",
                sharing);
        String bobsFunction = AllowedFunctionsApiTest.function(bob, false);
        long tasks = api.count("tasks");

        Set<String> unchecked = new TreeSet<>();
        Set<String> checked = new TreeSet<>();
        for (String route : api.service.routes()) {
            if (WITHOUT_ID.contains(route)) {
                continue;
            }
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            String kind = template.split("/")[2];
            if (!template.contains("{id}") || !CODES.containsKey(kind)) {
                unchecked.add(route);
                continue;
            }
            String path = template.replace("{id}", ids.get(kind)).replaceAll("\\{[a-z]+}", "bob@example.org");
            checked.add(route);
            if (method.equals("WS")) {
                assertThat(channelRefused(path)).as(route).isTrue();
                continue;
            }
            String body = method.equals("GET") || method.equals("DELETE")
                    ? null
                    : path.endsWith("/submit")
                            ? ServiceApiTest.submitBody(bobsFunction, 1)
                            : method.equals("PUT") ? "{\"endpoint_name\":\"taken\"}" : "{}";
            ApiFixture.Reply r = api.call(method, path, bob, body);
            assertThat(r.status()).as(route + ": " + r.body()).isEqualTo(404);
            assertThat(r.code()).as(route).isEqualTo(CODES.get(kind));
        }
        assertThat(unchecked)
                .as("routes this test does not know how to check: add each with its id kind")
                .isEmpty();
        assertThat(checked)
                .as("the route table as read")
                .contains("GET /v2/tasks/{id}", "WS /v3/endpoints/{id}/channel");
        assertThat(checked).hasSizeGreaterThanOrEqualTo(16);

        assertThat(api.count("tasks")).as("bob's submit stored nothing").isEqualTo(tasks);
        assertThat(api.call("GET", "/v2/tasks/" + task, alice, null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/v2/functions/" + function, alice, null).status())
                .isEqualTo(200);
        ApiFixture.Reply again = api.call("PUT", "/v3/endpoints/" + endpoint, alice, "{\"endpoint_name\":\"alices\"}");
        assertThat(again.status())
                .as("neither locked nor taken: " + again.body())
                .isEqualTo(200);
        assertThat(api.call("GET", "/v3/tokens", alice, null).body().toString()).contains(token);
        for (String listing : List.of("/v2/endpoints", "/v3/tasks", "/v3/tokens", "/v3/groups")) {
            String shown = api.call("GET", listing, bob, null).body().toString();
            for (String id : ids.values()) {
                assertThat(shown).as(listing).doesNotContain(id);
            }
        }
        String statuses = api.call("POST", "/v2/batch_status", bob, Json.write(Map.of("task_ids", List.of(task))))
                .body()
                .toString();
        assertThat(statuses).as("batch_status").doesNotContain("\"status\"");
    }

    /** Whether bob's WebSocket to {@code path} is refused at the handshake or closed before it is any use. */
    private static boolean channelRefused(String path) throws Exception {
        try {
            ScriptedChannel ch = new ScriptedChannel(api.http, api.service.url(), path.split("/")[3], bob);
            return ch.closed().get(10, TimeUnit.SECONDS) != 1000;
        } catch (ExecutionException | IllegalStateException refused) {
            return true;
        } catch (Exception e) {
            if (String.valueOf(e.getMessage()).contains("404")) {
                return true;
            }
            fail("bob's channel to " + path + ": " + e);
            return false;
        }
    }
}
