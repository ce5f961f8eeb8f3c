package dev.gantry.service;

import dev.gantry.broker.Broker;
import dev.gantry.broker.InProcessBroker;
import dev.gantry.broker.RabbitBroker;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.channel.EndpointChannels;
import dev.gantry.service.channel.FanOut;
import dev.gantry.service.channel.OutputRelay;
import dev.gantry.service.channel.Recovery;
import dev.gantry.service.channel.ResultStreams;
import dev.gantry.service.channel.ResultWriter;
import dev.gantry.service.http.Auth;
import dev.gantry.service.http.GroupRoutes;
import dev.gantry.service.http.HttpServer;
import dev.gantry.service.http.IdentityRoutes;
import dev.gantry.service.http.Routes;
import dev.gantry.service.http.TaskOutputRoutes;
import dev.gantry.service.http.TokenRoutes;
import dev.gantry.service.results.SdkQueueBroker;
import dev.gantry.service.results.SdkQueues;
import dev.gantry.service.results.SdkQueuesSetup;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.Database;
import dev.gantry.service.store.EndpointLocks;
import dev.gantry.service.store.EndpointStore;
import dev.gantry.service.store.FunctionStore;
import dev.gantry.service.store.GroupStore;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import dev.gantry.service.store.ResultQueueGroups;
import dev.gantry.service.store.StartRequests;
import dev.gantry.service.store.TaskAudit;
import dev.gantry.service.store.TaskCommits;
import dev.gantry.service.store.TaskLeases;
import dev.gantry.service.store.TaskOutputs;
import dev.gantry.service.store.TaskStore;
import dev.gantry.service.store.UserEndpoints;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service's composition root: database, broker, writer, HTTP and WebSocket routes. */
public final class GantryService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GantryService.class);

    private final UUID instance = UUID.randomUUID();
    private final Database db;
    private final Housekeeper housekeeper;
    private final Broker broker;
    private final SdkQueues sdkQueues;
    private final ResultWriter writer;
    private final OutputRelay output;
    private final TaskAudit audit;
    private final TaskLeases leases;
    private final EndpointChannels channels;
    private final ResultStreams streams;
    private final Javalin http;
    private final GantryHome.Credentials credentials;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Optional<ServedTls> tls;

    private GantryService(ServiceConfig cfg) {
        GantryHome.privateDir(cfg.home().dir());
        boolean embeddedDb =
                cfg.jdbcUrl().equals(Database.h2Url(cfg.home().serviceDir().resolve("gantry")));
        if (embeddedDb) {
            GantryHome.privateDir(cfg.home().serviceDir()); // every tenant's code, arguments and results
        }
        db = Database.open(cfg.jdbcUrl(), cfg.dbUser(), cfg.dbPassword(), 8);
        if (embeddedDb) {
            GantryHome.privateFiles(cfg.home().serviceDir());
        }
        Clock clock = Clock.systemUTC();
        IdentityStore identities = new IdentityStore(db, clock);
        ApiTokens apiTokens = new ApiTokens(db, clock);
        FunctionStore functions = new FunctionStore(db, clock);
        EndpointStore endpoints = new EndpointStore(db, clock);
        TaskStore tasks = new TaskStore(db);
        tls = ServedTls.of(cfg, clock);
        sdkQueues = new SdkQueues(
                        cfg.embeddedBroker()
                                ? () -> SdkQueuesSetup.embedded(
                                        cfg.home().serviceDir().resolve("amqp"),
                                        tls.map(ServedTls::connector).orElse(null))
                                : () -> SdkQueuesSetup.rabbit(cfg.brokerUrl()),
                        new ResultQueueGroups(db),
                        clock)
                .start(cfg.embeddedBroker());
        broker = new SdkQueueBroker(
                cfg.embeddedBroker()
                        ? new InProcessBroker(cfg.queueCapacity())
                        : new RabbitBroker(cfg.brokerUrl(), cfg.brokerPrefix(), cfg.queueCapacity()),
                sdkQueues);
        leases = new TaskLeases(db);
        housekeeper = new Housekeeper(tasks, functions, leases, broker, cfg.retention(), clock);
        Recovery recovery = housekeeper.recovery();
        audit = new TaskAudit(cfg.home().serviceDir().resolve("audit.log"), instance, endpoints::highAssurance, clock);
        TaskOutputs outputs = new TaskOutputs(db, cfg.outputKeptBytes());
        output = new OutputRelay(outputs, tasks, broker, clock);
        writer = ResultWriter.create(
                new TaskCommits(db)::commit,
                new FanOut(tasks, broker, output, endpoints::highAssurance, audit),
                recovery,
                clock);
        ServiceSecurity security = cfg.security();
        Auth auth = new Auth(apiTokens, identities, clock, security);
        StartRequests starts = new StartRequests(db);
        EndpointLocks locks = new EndpointLocks(db);
        channels = new EndpointChannels(
                instance,
                auth,
                endpoints,
                functions,
                tasks,
                leases,
                recovery,
                broker,
                writer,
                output,
                starts,
                identities,
                apiTokens,
                locks,
                clock);
        streams = new ResultStreams(auth, tasks, outputs, broker, endpoints::highAssurance);
        if (!broker.durable()) {
            tasks.unqueueWaiting();
            housekeeper.requeue();
        }
        broker.onReconnect(() -> {
            housekeeper.requeueSoon();
            streams.replayAll();
        });
        UserEndpointStarts userEndpoints =
                new UserEndpointStarts(endpoints, new UserEndpoints(db, clock), starts, broker, clock, START_WAIT_MS);
        channels.onEndpointLost(userEndpoints::userEndpointLost);
        housekeeper.onRequeued(userEndpoints::tasksRequeued);
        Submissions submissions = new Submissions(
                endpoints, functions, tasks, broker, cfg.queueCapacity(), userEndpoints, clock, sdkQueues, audit);
        http = HttpServer.create(
                cfg.host(),
                cfg.port(),
                auth,
                cfg.maxBodyBytes(),
                tls.map(ServedTls::connector).orElse(null),
                security.sockets());
        new Routes(
                        functions,
                        endpoints,
                        tasks,
                        leases,
                        submissions,
                        new Cancellations(tasks, broker, audit, clock),
                        cfg.maxBodyBytes(),
                        cfg.heartbeatPeriodMs(),
                        clock,
                        new dev.gantry.service.store.WorkerRuntimes(db),
                        locks,
                        channels,
                        audit)
                .register(http);
        new dev.gantry.service.http.ResultQueueRoutes(sdkQueues).register(http);
        new dev.gantry.service.http.TaskListRoutes(new dev.gantry.service.store.TaskListing(db)).register(http);
        new TaskOutputRoutes(tasks, outputs).register(http);
        channels.register(http);
        streams.register(http);
        String token = localToken(cfg, identities, apiTokens);
        UUID admin = apiTokens.lookup(token).orElseThrow().identityId();
        new IdentityRoutes(identities, apiTokens, auth, admin).register(http);
        new TokenRoutes(apiTokens, identities, auth, admin).register(http);
        new GroupRoutes(new GroupStore(db, clock), identities).register(http);
        writer.start();
        output.start();
        housekeeper.start(cfg.housekeepingPeriod());
        http.start();
        String url = ServedTls.url(tls.isPresent(), cfg.host(), http.port());
        credentials = new GantryHome.Credentials(
                url, token, tls.map(ServedTls::caFile).orElse(null));
        if (cfg.writeCredentials()) {
            cfg.home().writeCredentials(credentials);
        }
        log.info(
                "Gantry service {} listening on {} (database {}, broker {})",
                instance,
                url,
                cfg.jdbcUrl().replaceAll("password=[^;&]*", "password=***"),
                cfg.embeddedBroker() ? "in-process" : RabbitBroker.redact(cfg.brokerUrl()));
    }

    /** How long a submit waits for an endpoint manager to start the submitter's user endpoint. */
    static final long START_WAIT_MS = 45_000;

    public static GantryService start(ServiceConfig cfg) {
        return new GantryService(cfg);
    }

    /** The local user's token: the one already in the home's credentials if still valid, else a new one. */
    private static String localToken(ServiceConfig cfg, IdentityStore identities, ApiTokens tokens) {
        String user = System.getProperty("user.name", "local");
        Identity local;
        try {
            local = identities.findOrCreate(user);
        } catch (RuntimeException e) {
            local = identities.findOrCreate(user); // another instance created it at the same moment
        }
        Identity me = local;
        return cfg.home()
                .readCredentials()
                .map(GantryHome.Credentials::token)
                .filter(t -> tokens.lookup(t)
                        .filter(known -> known.identity().equals(me) && !known.expired(tokens.nowMs()))
                        .isPresent())
                .orElseGet(() ->
                        tokens.issue(me, "the local administrator's", null).token());
    }

    /** For tests in this package: how many task reports endpoints sent about tasks not dispatched to them. */
    long rejectedReports() {
        return channels.rejectedReports();
    }

    /** For tests in this package: the leases behind this instance. */
    TaskLeases leases() {
        return leases;
    }

    /** For tests in this package: the housekeeper, to run a pass now. */
    Housekeeper housekeeper() {
        return housekeeper;
    }

    /** For tests in this package: the database behind this instance. */
    Database database() {
        return db;
    }

    /** For tests in this package: every route, as {@code GET /v2/tasks/{id}} (WebSockets as {@code WS path}). */
    List<String> routes() {
        return HttpServer.routes(http);
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

    /**
     * Stops in the reverse order of the start: no channel or stream takes frames, the HTTP server stops, the
     * housekeeper and the writer finish what they are doing, then the broker and the database close.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        channels.close();
        streams.close();
        http.stop();
        tls.ifPresent(t -> t.connector().close());
        housekeeper.close();
        writer.close();
        output.close();
        audit.close();
        sdkQueues.close();
        broker.close();
        db.close();
        log.info("Gantry service stopped");
    }
}
