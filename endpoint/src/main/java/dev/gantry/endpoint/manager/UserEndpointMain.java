package dev.gantry.endpoint.manager;

import dev.gantry.client.ServiceClient;
import dev.gantry.endpoint.AuditLog;
import dev.gantry.endpoint.EndpointAgent;
import dev.gantry.endpoint.EndpointConfig;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.endpoint.EndpointHooks;
import dev.gantry.endpoint.template.TemplateInputs;
import dev.gantry.endpoint.template.UserConfigSchema;
import dev.gantry.endpoint.template.UserConfigTemplate;
import dev.gantry.engines.Engine;
import dev.gantry.engines.Engines;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user endpoint, as started by its manager (already as its user): reads its start input, renders its
 * configuration from the administrator's template, answers the manager, then runs until it has been idle for
 * its limits, its manager is gone, or it is told to stop. Exit codes: 0 stopped, 65 bad input or configuration,
 * 78 its {@code endpoint_setup} failed.
 */
public final class UserEndpointMain {
    private static final Logger log = LoggerFactory.getLogger(UserEndpointMain.class);
    public static final int EX_DATAERR = 65;

    private UserEndpointMain() {}

    public static int run(InputStream stdin, PrintStream answer) throws IOException, InterruptedException {
        InputStream in = new BufferedInputStream(stdin);
        UserEndpointStart start;
        EndpointConfig cfg;
        EndpointDir ed;
        PrintStream logFile;
        try {
            start = Json.read(firstLine(in), UserEndpointStart.class);
            String rendered = render(start);
            cfg = config(rendered, start.allowedFunctions(), start.highAssurance());
            ed = directory(start, rendered);
            logFile = new PrintStream(new FileOutputStream(ed.log().toFile(), true), true, StandardCharsets.UTF_8);
        } catch (GantryException | IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
            return refuse(answer, e.getMessage(), EX_DATAERR);
        }
        System.setOut(logFile); // from here on, what it and its endpoint_setup print is its user's to read
        System.setErr(logFile);
        EndpointHooks hooks = new EndpointHooks(cfg, ed.dir());
        try {
            hooks.setup();
        } catch (EndpointHooks.SetupFailed e) {
            return refuse(answer, e.getMessage(), EndpointHooks.EX_CONFIG);
        }
        answer.println(UserEndpointLauncher.READY);
        answer.flush();
        AuditLog audit = start.highAssurance() ? AuditLog.over(new ManagerAuditPipe(answer, in)) : null;
        return serve(start, cfg, ed, hooks, audit);
    }

    /** The start input: its first line (the manager's answers to audit records may follow). */
    static byte[] firstLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (line.size() >= UserEndpointStart.MAX_BYTES) {
                throw new IOException("the start input is larger than " + UserEndpointStart.MAX_BYTES + " bytes");
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    private static int refuse(PrintStream answer, String why, int exitCode) {
        answer.println(UserEndpointLauncher.REFUSED + oneLine(why));
        answer.flush();
        return exitCode;
    }

    /**
     * The rendered configuration, read; the manager's {@code allowed_functions}, when it has them, replace the
     * rendered ones (a template's list holds only under a manager without one); a high-assurance manager's user
     * endpoint is high-assurance whatever its template says.
     */
    static EndpointConfig config(String rendered, List<FunctionId> managers, boolean highAssurance) {
        EndpointConfig cfg =
                EndpointConfig.parse(rendered.getBytes(StandardCharsets.UTF_8), "the rendered user endpoint config");
        cfg = managers == null ? cfg : cfg.withAllowedFunctions(managers);
        return highAssurance ? cfg.withHighAssurance() : cfg;
    }

    /** The user endpoint's own directory in its account's Gantry home (owner-only), with the rendered config. */
    private static EndpointDir directory(UserEndpointStart s, String rendered) throws IOException {
        GantryHome home = GantryHome.resolve();
        try {
            Path dir = GantryHome.privateDir(home.endpointsDir().resolve(s.dirName()));
            GantryHome.privateDir(home.dir().resolve(UserEndpointLauncher.CLASS_ARCHIVES));
            GantryHome.writePrivate(dir.resolve("config.yaml"), rendered);
            return new EndpointDir(s.dirName(), dir);
        } catch (RuntimeException e) {
            throw new IOException(
                    "the account " + s.user().uname() + " cannot create its user endpoint's directory in " + home.dir()
                            + ": " + e.getMessage(),
                    e);
        }
    }

    static String render(UserEndpointStart s) {
        UserConfigSchema schema = s.schema() == null ? null : UserConfigSchema.parse(s.schema());
        UserConfigTemplate t =
                new UserConfigTemplate(s.template(), s.templateDir() == null ? null : Path.of(s.templateDir()), schema);
        return t.render(
                new TemplateInputs(s.userConfig(), s.userRuntime(), s.user(), s.identityId(), s.parentConfig()));
    }

    /** The user endpoint's client: the manager's service URLs and its trust (a CA file written here, owner-only). */
    private static ServiceClient client(UserEndpointStart s, EndpointDir dir) {
        if (s.caPem() == null) {
            return new ServiceClient(s.serviceUrls(), s.token(), null);
        }
        Path ca = dir.dir().resolve("service-ca.pem");
        GantryHome.writePrivate(ca, s.caPem());
        return new ServiceClient(s.serviceUrls(), s.token(), ca);
    }

    /** Runs the endpoint; {@code audit}: its manager keeps its audit log (null: it keeps its own, if any). */
    private static int serve(
            UserEndpointStart s, EndpointConfig cfg, EndpointDir dir, EndpointHooks hooks, AuditLog audit)
            throws InterruptedException {
        ServiceClient client = client(s, dir);
        Engine engine = Engines.create(cfg.engine(), dir.tasksDir());
        EndpointAgent agent = audit == null
                ? new EndpointAgent(dir, cfg, client, engine)
                : new EndpointAgent(dir, cfg, client, engine, Clock.systemUTC(), audit);
        dir.writePid(ProcessHandle.current().pid());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.drainAndClose(EndpointAgent.DRAIN);
            hooks.teardown();
            dir.removePid();
        }));
        agent.startRegistered(s.userEndpoint(), s.channelPath());
        log.info(
                "user endpoint {} of manager {} started as {} (uid {})",
                s.userEndpoint(),
                s.manager(),
                s.user().uname(),
                s.user().uid());
        IdleWatch idle = new IdleWatch(cfg.idleSoft(), cfg.idleHard());
        OptionalLong parent = ProcessHandle.current()
                .parent()
                .map(p -> OptionalLong.of(p.pid()))
                .orElse(OptionalLong.empty());
        while (!stopped(agent, cfg.heartbeatPeriodMs())) {
            if (idle.beat(agent.activity(), agent.outstanding())) {
                log.info("user endpoint {}: idle for {} heartbeats; stopping", s.userEndpoint(), idle.still());
                break;
            }
            if (parentGone(parent)) {
                log.warn("user endpoint {}: its manager is gone; stopping", s.userEndpoint());
                break;
            }
        }
        agent.drainAndClose(EndpointAgent.DRAIN);
        hooks.teardown();
        dir.removePid();
        return 0;
    }

    private static boolean stopped(EndpointAgent agent, long periodMs) throws InterruptedException {
        return agent.awaitStop(periodMs);
    }

    private static boolean parentGone(OptionalLong parent) {
        OptionalLong now = ProcessHandle.current()
                .parent()
                .map(p -> OptionalLong.of(p.pid()))
                .orElse(OptionalLong.empty());
        return !now.equals(parent);
    }

    private static String oneLine(String s) {
        String t = s == null ? "unknown error" : s.replaceAll("[\\r\\n]+", " ");
        return t.length() > 2000 ? t.substring(0, 2000) + "..." : t;
    }
}
