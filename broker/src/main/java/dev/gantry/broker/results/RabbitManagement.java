package dev.gantry.broker.results;

import dev.gantry.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@link Credentials} kept by RabbitMQ's management API (its bundled {@code rabbitmq_management} plugin): one
 * user per identity, without management tags, whose permissions on the virtual host are to configure nothing,
 * write nothing and read the queues under its prefix. See ADR 0008 for why not the HTTP auth backend.
 */
public final class RabbitManagement implements Credentials {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI api;
    private final String authorization;
    private final String vhost;

    /**
     * @param api the management API, e.g. {@code http://127.0.0.1:15672/api}
     * @param user an administrator of the virtual host (the one Gantry's broker connection uses)
     */
    public RabbitManagement(URI api, String user, String password, String vhost) {
        this.api = api;
        this.authorization =
                "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.vhost = vhost;
    }

    @Override
    public String issue(String user, String queuePrefix) {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        put("/users/" + encode(user), Map.of("password", password, "tags", ""));
        put(
                "/permissions/" + encode(vhost) + "/" + encode(user),
                Map.of("configure", "^$", "write", "^$", "read", "^" + Pattern.quote(queuePrefix) + ".*$"));
        return password;
    }

    @Override
    public void revoke(String user) {
        send("/users/" + encode(user), HttpRequest.newBuilder().DELETE(), 404);
    }

    private void put(String path, Map<String, String> body) {
        send(
                path,
                HttpRequest.newBuilder()
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))),
                -1);
    }

    /** Sends a request to the API; a status other than 2xx and {@code alsoFine} is an error. */
    private void send(String path, HttpRequest.Builder b, int alsoFine) {
        HttpRequest r = b.uri(URI.create(api + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", authorization)
                .build();
        try {
            HttpResponse<String> reply = http.send(r, HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() / 100 != 2 && reply.statusCode() != alsoFine) {
                throw new IllegalStateException("RabbitMQ's management API refused " + path.replaceAll("/[^/]*$", "/…")
                        + ": HTTP " + reply.statusCode() + " " + reply.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "RabbitMQ's management API (" + api + ") cannot be reached: " + e.getMessage()
                            + "; enable it with: rabbitmq-plugins enable rabbitmq_management",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
