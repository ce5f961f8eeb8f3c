package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.Limits;
import dev.gantry.service.ServiceSecurity;
import dev.gantry.service.tls.TlsConnector;
import io.javalin.Javalin;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/** Builds the Javalin server: limits, authentication before every route but the version, error envelope. */
public final class HttpServer {
    /** The slowest a request body may arrive, on average since its first byte. */
    static final long MIN_BODY_BYTES_PER_S = 16 * 1024;

    private HttpServer() {}

    /** A server for {@code host}:{@code port}: HTTPS through {@code tls}, or plain HTTP when it is null. */
    public static Javalin create(
            String host, int port, Auth auth, long maxBody, TlsConnector tls, ServiceSecurity.Sockets sockets) {
        ConnectionGuard guard = new ConnectionGuard(sockets.perSource(), sockets.headerDeadline());
        Javalin app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.useVirtualThreads = true;
            cfg.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = maxBody + 1;
            cfg.http.prefer405over404 = true; // a known route with another method is 405, not 404
            cfg.jetty.defaultHost = host;
            cfg.jetty.defaultPort = port;
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector c = tls != null
                        ? tls.connector(server, http, host, port)
                        : new ServerConnector(server, new HttpConnectionFactory(http));
                c.setHost(host);
                c.setPort(port);
                c.addEventListener(guard);
                return c;
            });
            // a body trickled slower than this is cut off (408): a slow client holds no socket and buffer for long
            cfg.jetty.modifyHttpConfiguration(hc -> hc.setMinRequestDataRate(MIN_BODY_BYTES_PER_S));
            cfg.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxTextMessageSize(Limits.MAX_CHANNEL_FRAME_CHARS); // the result stream sets a lower one
                f.setIdleTimeout(Duration.ofMinutes(10));
            });
        });
        app.beforeMatched(ctx -> {
            if (!ctx.path().equals("/v2/version")) {
                auth.authenticate(ctx);
            }
        });
        app.events(e -> e.serverStopped(guard::close));
        app.exception(Exception.class, Replies::failure);
        app.error(404, ctx -> {
            if (ctx.attribute(Replies.ERROR_WRITTEN) == null) {
                Replies.error(ctx, ApiError.ROUTE_NOT_FOUND, "no route " + ctx.method() + " " + ctx.path());
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(Replies.ERROR_WRITTEN) == null) {
                Replies.error(ctx, ApiError.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + ctx.path());
            }
        });
        return app;
    }

    /** Every route of {@code app}, as {@code GET /v2/tasks/{id}}; WebSockets as {@code WS /v3/stream}. */
    public static List<String> routes(Javalin app) {
        InternalRouter router = app.unsafeConfig().pvt.internalRouter;
        List<String> out = new ArrayList<>();
        router.allHttpHandlers().stream()
                .map(ParsedEndpoint::getEndpoint)
                .filter(e -> e.getMethod().isHttpMethod())
                .forEach(e -> out.add(e.getMethod() + " " + e.getPath()));
        router.allWsHandlers().forEach(w -> out.add("WS " + w.getPath()));
        return out;
    }
}
