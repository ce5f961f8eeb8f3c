package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.ShellCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Past the retention time a task answers "expired", with its payload and result gone, never a 500. */
class RetentionTest {

    @Test
    void tasksExpireAfterTheRetentionTime(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        try (TestBackend backend = TestBackend.create();
                GantryService s = GantryService.start(backend.config(new GantryHome(home))
                        .withRetention(Duration.ofMillis(1500), Duration.ofMillis(200)))) {
            HttpClient http = HttpClient.newHttpClient();
            String token = s.credentials().token();
            String ep = call(http, s, token, "POST", "/v3/endpoints", "{\"endpoint_name\":\"r\"}")
                    .get("endpoint_id")
                    .asText();
            String code = Json.write(new ShellCommand("true", 0, 1).functionCode());
            String fn = call(
                            http,
                            s,
                            token,
                            "POST",
                            "/v3/functions",
                            "{\"function_name\":\"f\",\"function_code\":" + code + "}")
                    .get("function_uuid")
                    .asText();
            String body = "{\"tasks\":{\"" + fn + "\":["
                    + Json.write(Arguments.of(List.of()).pack()) + "]}}";
            String task = call(http, s, token, "POST", "/v3/endpoints/" + ep + "/submit", body)
                    .get("tasks")
                    .get(fn)
                    .get(0)
                    .asText();
            assertThat(call(http, s, token, "GET", "/v2/tasks/" + task, null)
                            .get("status")
                            .asText())
                    .isEqualTo("waiting-for-ep");
            JsonNode expired = await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> call(http, s, token, "GET", "/v2/tasks/" + task, null),
                            t -> t.get("status").asText().equals("expired"));
            assertThat(expired.get("pending").asBoolean()).isFalse();
            assertThat(expired.get("error_code").asText()).isEqualTo("TASK_EXPIRED");
            assertThat(expired.has("result")).isFalse();
            JsonNode batch = call(http, s, token, "POST", "/v2/batch_status", "{\"task_ids\":[\"" + task + "\"]}");
            assertThat(batch.get("results").get(task).get("status").asText()).isEqualTo("expired");
        }
    }

    private static JsonNode call(
            HttpClient http, GantryService s, String token, String method, String path, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode())
                .as(method + " " + path + ": " + resp.body())
                .isEqualTo(200);
        return Json.mapper().readTree(resp.body());
    }
}
