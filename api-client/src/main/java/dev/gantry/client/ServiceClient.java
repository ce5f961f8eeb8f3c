package dev.gantry.client;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.ErrorBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * JSON over HTTP to a service, with a bearer token. Given several URLs (instances of one deployment) it
 * stays with one until a connection to it is refused, then moves to the next. Only requests that never
 * reached a service are retried elsewhere, so a submit is not sent twice. Thread-safe.
 */
public final class ServiceClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final List<URI> bases;
    private final String token;
    private final HttpClient http;
    private volatile int current;

    public ServiceClient(List<String> serviceUrls, String token) {
        if (serviceUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one service URL is needed");
        }
        this.bases = serviceUrls.stream()
                .map(u -> URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u))
                .toList();
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public ServiceClient(String serviceUrl, String token) {
        this(List.of(serviceUrl.split("\\s*,\\s*")), token);
    }

    private URI base() {
        return bases.get(current % bases.size());
    }

    /** Moves to the next service URL (after the current one failed). */
    public void failover() {
        if (bases.size() > 1) {
            current = (current + 1) % bases.size();
        }
    }

    public static ServiceClient of(GantryHome.Credentials c) {
        return new ServiceClient(c.serviceUrl(), c.token());
    }

    /**
     * The client for this environment: {@code GANTRY_SERVICE_URL} and {@code GANTRY_TOKEN} when set, else
     * the credentials the embedded service wrote under the Gantry home.
     */
    public static ServiceClient fromEnvironment() {
        String url = System.getenv("GANTRY_SERVICE_URL");
        String token = System.getenv("GANTRY_TOKEN");
        GantryHome.Credentials saved = GantryHome.resolve().readCredentials().orElse(null);
        if (url == null) {
            url = saved == null ? null : saved.serviceUrl();
        }
        if (token == null) {
            token = saved == null ? null : saved.token();
        }
        if (url == null || token == null) {
            throw new ApiException(
                    ApiError.UNAUTHORIZED,
                    0,
                    "no Gantry credentials: start a service"
                            + " (gantry service start) or set GANTRY_SERVICE_URL and GANTRY_TOKEN");
        }
        return new ServiceClient(url, token);
    }

    /** The URL in use now. */
    public String serviceUrl() {
        return base().toString();
    }

    public String token() {
        return token;
    }

    public <T> T get(String path, Class<T> type) {
        return send(() -> request(path).GET().build(), type);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        byte[] bytes = Json.writeBytes(body);
        return send(
                () -> request(path)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                type);
    }

    public <T> T put(String path, Object body, Class<T> type) {
        byte[] bytes = Json.writeBytes(body);
        return send(
                () -> request(path)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                type);
    }

    public <T> T delete(String path, Class<T> type) {
        return send(() -> request(path).DELETE().build(), type);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base().resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("User-Agent", "gantry-java/0.1.0");
    }

    private <T> T send(java.util.function.Supplier<HttpRequest> req, Class<T> type) {
        HttpResponse<byte[]> resp = null;
        for (int tried = 0; resp == null; tried++) {
            URI at = base();
            try {
                resp = http.send(req.get(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                failover();
                if (tried + 1 >= bases.size()) {
                    throw unreachable(at, e);
                }
            } catch (IOException e) {
                failover();
                throw unreachable(at, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(ApiError.SERVICE_UNAVAILABLE, 0, "interrupted while calling the service", e);
            }
        }
        if (resp.statusCode() / 100 != 2) {
            throw failure(resp);
        }
        return Json.read(resp.body(), type);
    }

    private static ApiException unreachable(URI at, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ApiException(
                ApiError.SERVICE_UNAVAILABLE,
                0,
                "cannot reach the Gantry service at " + at + " (" + why + "): is it running? `gantry service status`"
                        + " says; `gantry service start --detach` starts the embedded one; GANTRY_SERVICE_URL or"
                        + " the credentials.json of GANTRY_HOME name the service to use",
                e);
    }

    private static ApiException failure(HttpResponse<byte[]> resp) {
        try {
            ErrorBody e = Json.read(resp.body(), ErrorBody.class);
            ApiError code;
            try {
                code = ApiError.valueOf(e.code());
            } catch (IllegalArgumentException | NullPointerException x) {
                code = ApiError.INTERNAL_ERROR;
            }
            return new ApiException(code, resp.statusCode(), e.detail());
        } catch (RuntimeException x) {
            return new ApiException(
                    resp.statusCode() >= 500 ? ApiError.INTERNAL_ERROR : ApiError.SEMANTICALLY_INVALID,
                    resp.statusCode(),
                    "the service answered " + resp.statusCode());
        }
    }

    /** Opens a WebSocket to {@code path} on the service, with the bearer token. */
    public CompletableFuture<WebSocket> openWebSocket(String path, WebSocket.Listener listener) {
        URI base = base();
        String scheme = base.getScheme().equals("https") ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getRawAuthority() + path);
        return http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, listener);
    }
}
