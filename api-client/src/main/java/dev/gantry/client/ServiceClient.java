package dev.gantry.client;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.ErrorBody;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * JSON over HTTP to a service, with a bearer token. Given several URLs (instances of one deployment) it
 * stays with one until a connection to it is refused, then moves to the next. Only requests that never
 * reached a service are retried elsewhere, so a submit is not sent twice. Thread-safe.
 */
public final class ServiceClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How many times a call over the service's rate limit is sent again, each after the wait the service says. */
    static final int MAX_RATE_LIMITED_WAITS = 20;

    static final long MAX_RETRY_AFTER_S = 60;
    private final List<URI> bases;
    private final String token;
    private final Path caFile;
    private final HttpClient http;
    private volatile int current;

    /** A client trusting the certificates of {@code GANTRY_CA_FILE} if set, else the system's. */
    public ServiceClient(List<String> serviceUrls, String token) {
        this(serviceUrls, token, envCaFile());
    }

    /** A client trusting the certificates in {@code caFile} (PEM) for HTTPS, or the system's when it is null. */
    public ServiceClient(List<String> serviceUrls, String token, Path caFile) {
        if (serviceUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one service URL is needed");
        }
        this.bases = serviceUrls.stream()
                .map(u -> URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u))
                .toList();
        Trust.checkPlain(bases, "1".equals(System.getenv("GANTRY_ALLOW_PLAIN_HTTP")));
        this.token = token;
        this.caFile = caFile;
        HttpClient.Builder b =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1);
        if (bases.stream().anyMatch(u -> "https".equalsIgnoreCase(u.getScheme()))) {
            b.sslContext(Trust.context(caFile));
        }
        this.http = b.build();
    }

    public ServiceClient(String serviceUrl, String token) {
        this(List.of(serviceUrl.split("\\s*,\\s*")), token);
    }

    /** The same service and trust with another token. */
    public ServiceClient withToken(String otherToken) {
        return new ServiceClient(bases.stream().map(URI::toString).toList(), otherToken, caFile);
    }

    /** The same token and trust for other URLs (instances of the same deployment). */
    public ServiceClient withUrls(List<String> urls) {
        return new ServiceClient(urls, token, caFile);
    }

    /** The certificates this client trusts for HTTPS (a PEM file), or null for the system's. */
    public Path caFile() {
        return caFile;
    }

    private static Path envCaFile() {
        String f = System.getenv("GANTRY_CA_FILE");
        return f == null || f.isBlank() ? null : Path.of(f);
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
        Path ca = envCaFile() != null ? envCaFile() : c.caFile() == null ? null : Path.of(c.caFile());
        return new ServiceClient(List.of(c.serviceUrl().split("\\s*,\\s*")), c.token(), ca);
    }

    /**
     * The client for this environment: {@code GANTRY_SERVICE_URL} and {@code GANTRY_TOKEN} when set, else
     * the credentials the embedded service wrote under the Gantry home; for HTTPS, the certificates of
     * {@code GANTRY_CA_FILE}, else those the credentials name, else the system's.
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
        return of(new GantryHome.Credentials(url, token, saved == null ? null : saved.caFile()));
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

    private <T> T send(Supplier<HttpRequest> req, Class<T> type) {
        for (int limited = 0; ; limited++) {
            HttpResponse<byte[]> resp = sendOnce(req);
            long waitS = resp.statusCode() == 429 ? retryAfterSeconds(resp.headers()) : -1;
            if (waitS >= 0 && limited < MAX_RATE_LIMITED_WAITS) {
                // over the service's rate limit: nothing was done; wait as long as it says, then send it again
                sleep(waitS * 1000 + ThreadLocalRandom.current().nextLong(250));
                continue;
            }
            if (resp.statusCode() / 100 != 2) {
                throw failure(resp);
            }
            return Json.read(resp.body(), type);
        }
    }

    private HttpResponse<byte[]> sendOnce(Supplier<HttpRequest> req) {
        for (int tried = 0; ; tried++) {
            URI at = base();
            try {
                return http.send(req.get(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (ConnectException | HttpConnectTimeoutException e) {
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
    }

    /** The seconds a 429 says to wait ({@code Retry-After}, at most a minute), or -1 when it does not say. */
    private static long retryAfterSeconds(HttpHeaders headers) {
        try {
            long s = Long.parseLong(
                    headers.firstValue("Retry-After").orElse("-1").trim());
            return s <= MAX_RETRY_AFTER_S ? s : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiError.SERVICE_UNAVAILABLE, 0, "interrupted while waiting out a rate limit", e);
        }
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

    /**
     * Opens a WebSocket to {@code path} and waits up to {@code timeout} for it; a handshake refused for the rate
     * limit is tried again after the wait its {@code Retry-After} says, as every other call.
     */
    public WebSocket connectWebSocket(String path, WebSocket.Listener listener, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        for (int limited = 0; ; limited++) {
            try {
                return openWebSocket(path, listener).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                long waitS = e.getCause() instanceof WebSocketHandshakeException h
                                && h.getResponse().statusCode() == 429
                        ? retryAfterSeconds(h.getResponse().headers())
                        : -1;
                if (waitS < 0 || limited >= MAX_RATE_LIMITED_WAITS) {
                    throw e;
                }
                sleep(waitS * 1000 + ThreadLocalRandom.current().nextLong(250));
            }
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
