package dev.gantry.client;

import dev.gantry.protocol.ErrorCode;
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
import java.util.concurrent.CompletableFuture;

/** JSON over HTTP to one service, with a bearer token. Thread-safe. */
public final class ServiceClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final URI base;
    private final String token;
    private final HttpClient http;

    public ServiceClient(String serviceUrl, String token) {
        this.base = URI.create(serviceUrl.endsWith("/") ? serviceUrl.substring(0, serviceUrl.length() - 1) : serviceUrl);
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
                .build();
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
            throw new ApiException(ErrorCode.UNAUTHORIZED, 0, "no Gantry credentials: start a service"
                    + " (gantry service start) or set GANTRY_SERVICE_URL and GANTRY_TOKEN");
        }
        return new ServiceClient(url, token);
    }

    public String serviceUrl() {
        return base.toString();
    }

    public String token() {
        return token;
    }

    public <T> T get(String path, Class<T> type) {
        return send(request(path).GET().build(), type);
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body))).build(), type);
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body))).build(), type);
    }

    public <T> T delete(String path, Class<T> type) {
        return send(request(path).DELETE().build(), type);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("User-Agent", "gantry-java/0.1.0");
    }

    private <T> T send(HttpRequest req, Class<T> type) {
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, 0, "cannot reach the Gantry service at " + base
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, 0, "interrupted while calling the service", e);
        }
        if (resp.statusCode() / 100 != 2) {
            throw failure(resp);
        }
        return Json.read(resp.body(), type);
    }

    private static ApiException failure(HttpResponse<byte[]> resp) {
        try {
            ErrorBody e = Json.read(resp.body(), ErrorBody.class);
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(e.code());
            } catch (IllegalArgumentException | NullPointerException x) {
                code = ErrorCode.INTERNAL_ERROR;
            }
            return new ApiException(code, resp.statusCode(), e.detail());
        } catch (RuntimeException x) {
            return new ApiException(resp.statusCode() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.SEMANTICALLY_INVALID,
                    resp.statusCode(), "the service answered " + resp.statusCode());
        }
    }

    /** Opens a WebSocket to {@code path} on the service, with the bearer token. */
    public CompletableFuture<WebSocket> openWebSocket(String path, WebSocket.Listener listener) {
        String scheme = base.getScheme().equals("https") ? "wss" : "ws";
        URI uri = URI.create(scheme + "://" + base.getRawAuthority() + path);
        return http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, listener);
    }
}
