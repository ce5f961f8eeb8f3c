package dev.gantry.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.service.channel.EndpointChannels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** An embedded service on a free port in a fresh Gantry home, and raw HTTP calls against it. */
final class ApiFixture implements AutoCloseable {
    final Path home;
    final TestBackend backend = TestBackend.create();
    final GantryService service;
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ApiFixture() throws IOException {
        this(UnaryOperator.identity());
    }

    /** A service whose settings are the test backend's, changed by {@code settings}. */
    ApiFixture(UnaryOperator<ServiceConfig> settings) throws IOException {
        home = Files.createTempDirectory("gantry-api-");
        service = GantryService.start(settings.apply(backend.config(new GantryHome(home))));
    }

    String token() {
        return service.credentials().token();
    }

    record Reply(int status, JsonNode body) {
        String code() {
            return body.path("code").asText();
        }
    }

    Reply call(String method, String path, String token, String body) throws Exception {
        return call(method, path, token, body, "gantry-test");
    }

    /** A call with the user agent {@code agent} (Globus Compute's SDK sends {@code globus-sdk-py-...}). */
    Reply call(String method, String path, String token, String body, String agent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(service.url() + path))
                .header("User-Agent", agent)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                r.statusCode(),
                r.body().isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(r.body()));
    }

    Reply call(String method, String path, String body) throws Exception {
        return call(method, path, token(), body);
    }

    /** A new identity's token (the service's administrator adds it). */
    String identity(String username) throws Exception {
        Reply r = call("POST", "/v3/identities", "{\"username\":\"" + username + "\"}");
        if (r.status() != 200) {
            throw new AssertionError("cannot add identity " + username + ": " + r.body());
        }
        return r.body().get("token").asText();
    }

    /** Opens the SDK's result stream ({@code /v3/stream}) with {@code token}. */
    WebSocket stream(String token, WebSocket.Listener listener) throws Exception {
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(service.url().replace("http://", "ws://") + "/v3/stream"), listener)
                .get(10, TimeUnit.SECONDS);
    }

    /** The channel of endpoint {@code endpoint}, opened with {@code token} and greeted. */
    ScriptedChannel channel(String endpoint, String token) throws Exception {
        return channel(endpoint, token, 0);
    }

    /** The channel of endpoint {@code endpoint}, greeted with {@code credit}: it is sent that many tasks at most. */
    ScriptedChannel channel(String endpoint, String token, int credit) throws Exception {
        return greeted(
                endpoint,
                token,
                new ChannelMessage.Hello(EndpointId.of(endpoint), UUID.randomUUID(), "t", List.of(), credit, 1000, 0));
    }

    /** The channel of endpoint {@code endpoint} that said {@code hello} and was welcomed. */
    ScriptedChannel greeted(String endpoint, String token, ChannelMessage.Hello hello) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            ScriptedChannel ch = new ScriptedChannel(http, service.url(), endpoint, token);
            ch.send(hello);
            // a channel a test just closed may not be gone on the service yet: try again, as an endpoint would
            Integer refused = ch.welcomedOrClosed(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (refused == null) {
                return ch;
            }
            ch.close();
            if (refused != EndpointChannels.CLOSE_ALREADY_CONNECTED || System.nanoTime() > deadline) {
                throw new AssertionError("the channel of " + endpoint + " closed with " + refused + ", not welcomed");
            }
            Thread.sleep(50);
        }
    }

    /** A channel of endpoint {@code endpoint} that said hello as process {@code process}, not yet welcomed. */
    ScriptedChannel hello(String endpoint, String token, int credit, UUID process) throws Exception {
        ScriptedChannel ch = new ScriptedChannel(http, service.url(), endpoint, token);
        ch.send(new ChannelMessage.Hello(EndpointId.of(endpoint), process, "t", List.of(), credit, 1000, 0));
        return ch;
    }

    long count(String table) {
        return service.database().tx(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** A listener that puts each whole text frame it receives in {@code frames}. */
    static WebSocket.Listener collect(BlockingQueue<String> frames) {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }
        };
    }

    @Override
    public void close() throws IOException {
        service.close();
        backend.close();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
