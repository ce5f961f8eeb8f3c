package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.ShellCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A task stored while its endpoint was away is handed to the endpoint after the service restarts. */
class RestartTest {

    @Test
    void unfinishedTasksAreQueuedAgainWhenTheServiceRestarts(@org.junit.jupiter.api.io.TempDir Path home)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String endpoint;
        String task;
        try (TestBackend backend = TestBackend.create()) {
            ServiceConfig cfg = backend.config(new GantryHome(home));
            try (GantryService s = GantryService.start(cfg)) {
                String token = s.credentials().token();
                endpoint = call(http, s, token, "/v3/endpoints", "{\"endpoint_name\":\"r\"}", "endpoint_id");
                String code = Json.write(new ShellCommand("true", 0, 1).functionCode());
                String fn = call(
                        http,
                        s,
                        token,
                        "/v3/functions",
                        "{\"function_name\":\"f\",\"function_code\":" + code + "}",
                        "function_uuid");
                String body = "{\"tasks\":{\"" + fn + "\":["
                        + Json.write(Arguments.of(List.of()).pack()) + "]}}";
                task = Json.mapper()
                        .readTree(post(http, s, token, "/v3/endpoints/" + endpoint + "/submit", body))
                        .get("tasks")
                        .get(fn)
                        .get(0)
                        .asText();
            }
            try (GantryService again = GantryService.start(cfg)) {
                BlockingQueue<String> frames = new LinkedBlockingQueue<>();
                WebSocket ws = http.newWebSocketBuilder()
                        .header("Authorization", "Bearer " + again.credentials().token())
                        .buildAsync(
                                URI.create(again.url().replace("http://", "ws://") + "/v3/endpoints/" + endpoint
                                        + "/channel"),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                        frames.add(data.toString());
                                        w.request(1);
                                        return null;
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
                ws.sendText(
                                Json.write(new ChannelMessage.Hello(
                                        EndpointId.of(endpoint), UUID.randomUUID(), "t", List.of(), 10, 1000, 2)),
                                true)
                        .get(10, TimeUnit.SECONDS);
                String t = task;
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> frames.stream().anyMatch(f -> f.contains("\"type\":\"tasks\"") && f.contains(t)));
                ws.abort();
            }
        }
    }

    private static String call(HttpClient http, GantryService s, String token, String path, String body, String field)
            throws Exception {
        return Json.mapper()
                .readTree(post(http, s, token, path, body))
                .get(field)
                .asText();
    }

    private static String post(HttpClient http, GantryService s, String token, String path, String body)
            throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(s.url() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
