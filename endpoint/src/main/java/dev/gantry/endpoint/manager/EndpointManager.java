package dev.gantry.endpoint.manager;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.Channel;
import dev.gantry.endpoint.ChannelLoop;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.endpoint.Outgoing;
import dev.gantry.endpoint.Registration;
import dev.gantry.endpoint.identity.IdentityMappingFile;
import dev.gantry.endpoint.identity.LocalAccounts;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.api.EndpointRegistered;
import dev.gantry.protocol.api.EndpointRegistration;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.ChannelMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint manager process: registers as an endpoint manager, keeps a channel to the service, and starts a
 * user endpoint for each start request that passes the {@link StartPipeline}, answering with the outcome.
 */
public final class EndpointManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EndpointManager.class);
    /** How long stopping user endpoints get before they are killed. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final EndpointDir dir;
    private final ManagerConfig cfg;
    private final ServiceClient client;
    private final boolean privileged;
    private final int uid;
    private final UUID instance = UUID.randomUUID();
    private final UserEndpoints children;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock = Clock.systemUTC();
    private volatile boolean open = true;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Channel channel;
    private volatile EndpointId id;
    private volatile String channelPath;
    private volatile StartPipeline pipeline;
    private volatile ManagerAudit audit = ManagerAudit.OFF;

    public EndpointManager(EndpointDir dir, ManagerConfig cfg, ServiceClient client) {
        this.dir = dir;
        this.cfg = cfg;
        this.client = client;
        this.uid = (int) new com.sun.security.auth.module.UnixSystem().getUid();
        this.privileged = uid == 0;
        this.children = new UserEndpoints(Clock.systemUTC(), cfg.gracePeriodMs());
    }

    /** Checks the site's files, registers and connects; returns the manager's endpoint id. */
    public EndpointId start() {
        IdentityMappingFile mapping = privileged ? new IdentityMappingFile(cfg.identityMapping(dir.dir())) : null;
        if (!privileged && cfg.identityMappingConfigPath() != null) {
            log.warn(
                    "identity_mapping_config_path is ignored: this manager does not run as root, so it serves its owner only");
        }
        EndpointRegistered r = register();
        String java = cfg.userEndpointJava() != null
                ? cfg.userEndpointJava()
                : ProcessHandle.current().info().command().orElse("java");
        String classpath = cfg.userEndpointClasspath() != null
                ? cfg.userEndpointClasspath()
                : System.getProperty("java.class.path");
        StartPipeline.Site site = new StartPipeline.Site(
                dir.dir(),
                id,
                cfg,
                privileged,
                uid,
                r.ownerId(),
                cfg.urls().isEmpty() ? List.of(client.serviceUrl()) : cfg.urls(),
                caPem(client),
                java,
                classpath);
        audit = cfg.isHighAssurance() ? ManagerAudit.open(cfg.auditLog(dir.dir()), id, clock) : ManagerAudit.OFF;
        pipeline = new StartPipeline(
                site, new StartCheck(Clock.systemUTC()), mapping, new LocalAccounts(), children, audit);
        Thread.ofVirtual().name("manager-channel").start(this::connectLoop);
        log.info(
                "endpoint manager {} ({}) registered as {}",
                dir.name(),
                (privileged ? "multi-user, as root" : "personal, as uid " + uid)
                        + (cfg.isHighAssurance() ? ", high-assurance" : ""),
                id);
        return id;
    }

    private EndpointRegistered register() {
        EndpointRegistration body = new EndpointRegistration(
                dir.name(),
                cfg.displayName(),
                EndpointAgent.VERSION,
                privileged,
                cfg.isPublic(privileged),
                Registration.metadata("manager"),
                true,
                cfg.allowedFunctions(),
                cfg.admins(),
                cfg.submitPolicy(),
                cfg.isHighAssurance());
        EndpointRegistered r = Registration.register(client, dir, body, () -> open);
        id = r.endpointId();
        channelPath = r.channelPath();
        return r;
    }

    private void connectLoop() {
        ChannelLoop.run(
                client,
                channelPath,
                () -> open,
                "endpoint manager " + id,
                new ChannelLoop.Session() {
                    @Override
                    public Channel newChannel() {
                        return new Channel(
                                Outgoing.empty(), EndpointManager.this::status, cfg.heartbeatPeriodMs(), clock);
                    }

                    @Override
                    public List<ChannelMessage> first() {
                        return List.of(new ChannelMessage.Hello(
                                id, instance, EndpointAgent.VERSION, List.of(), 0, cfg.heartbeatPeriodMs(), 0));
                    }

                    @Override
                    public void onMessage(ChannelMessage m) {
                        EndpointManager.this.onMessage(m);
                    }

                    @Override
                    public void current(Channel ch) {
                        channel = ch;
                    }
                },
                clock);
    }

    private void onMessage(ChannelMessage m) {
        switch (m) {
            case ChannelMessage.StartUserEndpoint s ->
                Thread.ofVirtual().name("start-" + s.userEndpoint()).start(() -> answer(s, startOne(s)));
            case ChannelMessage.Stop s -> {
                log.warn("the service asked endpoint manager {} to stop: {}", id, s.reason());
                Thread.ofVirtual().start(this::close);
            }
            default -> log.debug("ignored {}", m.getClass().getSimpleName());
        }
    }

    /** Runs the start pipeline; the answer says whether the user endpoint runs, or why not. */
    private ChannelMessage.StartAnswer startOne(ChannelMessage.StartUserEndpoint s) {
        long t0 = clock.millis();
        try {
            StartPipeline.Started p = pipeline.start(s);
            log.info(
                    "user endpoint {} runs as pid {} ({}, {} ms)",
                    s.userEndpoint(),
                    p.pid(),
                    p.fresh() ? "started" : "running already",
                    clock.millis() - t0);
            return new ChannelMessage.StartAnswer(s.requestId(), s.userEndpoint(), null, p.fresh());
        } catch (StartRefused e) {
            log.warn("start of user endpoint {} refused: {}", s.userEndpoint(), e.detail());
            return new ChannelMessage.StartAnswer(s.requestId(), s.userEndpoint(), e.getMessage(), false);
        } catch (RuntimeException e) {
            log.error("start of user endpoint {} failed", s.userEndpoint(), e);
            return new ChannelMessage.StartAnswer(
                    s.requestId(),
                    s.userEndpoint(),
                    "the endpoint failed to start your user endpoint; see its administrator",
                    false);
        }
    }

    private void answer(ChannelMessage.StartUserEndpoint s, ChannelMessage.StartAnswer a) {
        Channel ch = channel;
        if (ch != null) {
            ch.send(a);
        } else {
            log.warn("no channel to answer start request {}; the submit times out", s.requestId());
        }
    }

    /** A manager's status report: engine type {@code manager}, and in {@code managers} its running user endpoints. */
    private ChannelMessage.Status status() {
        return new ChannelMessage.Status(new StatusReport(0, 0, 0, 0, children.count(), "manager"), 0);
    }

    public EndpointId id() {
        return id;
    }

    /** The pids of the user endpoints running now. */
    public List<Long> userEndpointPids() {
        return children.pids();
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops the user endpoints (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and the channel. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return; // idempotent: two stops may race (a signal and the service's stop frame)
        }
        open = false;
        children.stopAll(STOP_GRACE);
        audit.close();
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        stopped.countDown();
        log.info("endpoint manager {} stopped", id);
    }

    /** The certificates the manager trusts the service by, for its user endpoints (they cannot read its files). */
    private static String caPem(ServiceClient client) {
        if (client.caFile() == null) {
            return null;
        }
        try {
            return Files.readString(client.caFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service's certificate " + client.caFile(), e);
        }
    }
}
