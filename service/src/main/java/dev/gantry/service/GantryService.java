package dev.gantry.service;

import dev.gantry.broker.Broker;
import dev.gantry.broker.InProcessBroker;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.channel.EndpointChannels;
import dev.gantry.service.channel.ResultStreams;
import dev.gantry.service.channel.ResultWriter;
import dev.gantry.service.http.Auth;
import dev.gantry.service.http.HttpServer;
import dev.gantry.service.http.Routes;
import dev.gantry.service.store.Database;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.FunctionStore;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import dev.gantry.service.store.TaskStore;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's composition root: database, broker, writer, HTTP and WebSocket routes. */
public final class GantryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GantryService.class);

    private final Database db;
    private final Broker broker;
    private final ResultWriter writer;
    private final EndpointChannels channels;
    private final ResultStreams streams;
    private final Javalin http;
    private final GantryHome.Credentials credentials;

    private GantryService(ServiceConfig cfg) {
        GantryHome.privateDir(cfg.home().dir());
        db = Database.open(cfg.jdbcUrl(), cfg.dbUser(), cfg.dbPassword(), 8);
        IdentityStore identities = new IdentityStore(db);
        FunctionStore functions = new FunctionStore(db);
        EndpointStore endpoints = new EndpointStore(db);
        TaskStore tasks = new TaskStore(db);
        broker = new InProcessBroker(cfg.queueCapacity());
        endpoints.disconnectAll();
        if (!broker.durable()) {
            TaskRecovery.requeue(tasks, broker);
        }
        writer = new ResultWriter(tasks, broker);
        Auth auth = new Auth(identities);
        channels = new EndpointChannels(auth, endpoints, functions, broker, writer);
        streams = new ResultStreams(auth, tasks, broker);
        Submissions submissions = new Submissions(endpoints, functions, tasks, broker, cfg.queueCapacity());
        http = HttpServer.create(cfg.host(), auth, cfg.maxBodyBytes());
        new Routes(functions, endpoints, tasks, submissions, cfg.maxBodyBytes(), cfg.heartbeatPeriodMs()).register(http);
        channels.register(http);
        streams.register(http);
        writer.start();
        http.start(cfg.host(), cfg.port());
        String url = "http://" + cfg.host() + ":" + http.port();
        credentials = new GantryHome.Credentials(url, localToken(cfg, identities));
        if (cfg.writeCredentials()) {
            cfg.home().writeCredentials(credentials);
        }
        log.info("Gantry service listening on {}", url);
    }

    public static GantryService start(ServiceConfig cfg) {
        return new GantryService(cfg);
    }

    /** The local user's token: the one already in the home's credentials if still valid, else a new one. */
    private static String localToken(ServiceConfig cfg, IdentityStore identities) {
        Identity local = identities.findOrCreate(System.getProperty("user.name", "local"));
        return cfg.home().readCredentials()
                .map(GantryHome.Credentials::token)
                .filter(t -> identities.byToken(t).map(local::equals).orElse(false))
                .orElseGet(() -> identities.issueToken(local));
    }

    /** For tests in this package: the database behind this instance. */
    Database database() {
        return db;
    }

    public int port() {
        return http.port();
    }

    public String url() {
        return credentials.serviceUrl();
    }

    /** The local user's credentials for this instance. */
    public GantryHome.Credentials credentials() {
        return credentials;
    }

    @Override
    public void close() {
        http.stop();
        channels.close();
        streams.close();
        writer.close();
        broker.close();
        db.close();
        log.info("Gantry service stopped");
    }
}
