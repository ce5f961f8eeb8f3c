package dev.gantry.endpoint.manager;

import dev.gantry.endpoint.identity.FederatedIdentity;
import dev.gantry.endpoint.identity.IdentityMappingFile;
import dev.gantry.endpoint.identity.LocalAccounts;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.endpoint.template.UserConfigSchema;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.channel.ChannelMessage.StartUserEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starting a user endpoint, as a list of named steps: {@link #validate} the command, {@link #mapIdentity},
 * {@link #account} (refusing root and the manager's own account), {@link #readTemplate}, {@link #launch} as the
 * account. The user endpoint then renders its configuration itself, as its user, and answers. Each step throws
 * {@link StartRefused}; nothing is started unless every step passed.
 */
final class StartPipeline {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StartPipeline.class);
    /** Where the manager runs and who it serves. */
    record Site(
            Path dir,
            EndpointId manager,
            ManagerConfig config,
            boolean privileged,
            int managerUid,
            String ownerIdentity,
            List<String> serviceUrls,
            String caPem,
            String java,
            String classpath) {}

    record Template(String text, Path dir, String schema) {}

    /** The user endpoint's process, and whether this request started it (else it ran already). */
    record Started(long pid, boolean fresh) {}

    private final Site site;
    private final StartCheck check;
    private final IdentityMappingFile mapping;
    private final LocalAccounts accounts;
    private final UserEndpoints children;
    private final ManagerAudit audit;
    /** One start at a time per user endpoint: a second request waits, then finds it running. */
    private final Map<EndpointId, ReentrantLock> starting = new ConcurrentHashMap<>();

    StartPipeline(
            Site site,
            StartCheck check,
            IdentityMappingFile mapping,
            LocalAccounts accounts,
            UserEndpoints children,
            ManagerAudit audit) {
        this.site = site;
        this.audit = audit;
        this.check = check;
        this.mapping = mapping;
        this.accounts = accounts;
        this.children = children;
    }

    /** Runs the steps; returns the user endpoint's process (the one already running, if so). */
    Started start(StartUserEndpoint c) {
        validate(c);
        ReentrantLock lock = starting.computeIfAbsent(c.userEndpoint(), k -> new ReentrantLock());
        lock.lock();
        try {
            OptionalLong running = children.keepIfRunning(c);
            if (running.isPresent()) {
                return new Started(running.getAsLong(), false);
            }
            return new Started(startNew(c), true);
        } finally {
            lock.unlock();
        }
    }

    private long startNew(StartUserEndpoint c) {
        Optional<String> unaudited = audit.broken();
        if (unaudited.isPresent()) {
            throw new StartRefused(
                    "this high-assurance endpoint cannot keep its audit log, so it runs nothing; see its administrator",
                    unaudited.get());
        }
        LocalUser user = account(mapIdentity(c.identities()));
        Template t = readTemplate();
        return launch(c, user, t);
    }

    void validate(StartUserEndpoint c) {
        check.check(c);
    }

    /** The local account name: by the mapping for a root manager; the manager's own for its owner otherwise. */
    String mapIdentity(List<Map<String, String>> identities) {
        List<FederatedIdentity> ids =
                identities.stream().map(FederatedIdentity::new).toList();
        if (!site.privileged()) {
            if (ids.stream().noneMatch(i -> i.id().equals(site.ownerIdentity()))) {
                throw new StartRefused(
                        "this endpoint serves its owner only; identity "
                                + ids.get(0).username() + " is not its owner",
                        "ignoring a start request for untrusted identity " + ids);
            }
            return System.getProperty("user.name");
        }
        String name;
        try {
            name = mapping.map(ids).orElse(null);
        } catch (RuntimeException e) {
            throw new StartRefused(
                    "identity " + ids.get(0).username() + " could not be mapped to a local account",
                    "identity mapping failed for " + ids + ": " + e.getMessage());
        }
        if (name == null) {
            throw new StartRefused(
                    "identity " + ids.get(0).username() + " is not mapped to a local account on this endpoint",
                    "no identity mapping rule matched " + ids);
        }
        return name;
    }

    /** The account, if it exists and is neither root nor (for a root manager) the manager's own. */
    LocalUser account(String name) {
        LocalUser u = accounts.byName(name)
                .orElseThrow(() -> new StartRefused(
                        "the identity maps to local user '" + name + "', which does not exist on this endpoint"));
        if (site.privileged() && (u.uid() == 0 || u.uid() == site.managerUid())) {
            throw new StartRefused(
                    "the identity maps to local user '" + name + "', which may not run user endpoints"
                            + " (root or the manager's own account)",
                    "refused uid " + u.uid() + " for " + name);
        }
        return u;
    }

    /** The administrator's template and schema, read by the manager before anything runs as the user. */
    Template readTemplate() {
        Path file = site.config().template(site.dir());
        try {
            String text = Files.readString(file);
            Path schemaFile = site.config().schema(site.dir());
            String schema = Files.isRegularFile(schemaFile) ? Files.readString(schemaFile) : null;
            if (schema != null) {
                UserConfigSchema.parse(schema);
            }
            return new Template(text, file.toAbsolutePath().getParent(), schema);
        } catch (IOException e) {
            throw new StartRefused(
                    "the endpoint's user config template cannot be read; see its administrator",
                    "cannot read " + file + ": " + e);
        } catch (RuntimeException e) {
            throw new StartRefused(
                    "the endpoint's user config schema is broken; see its administrator",
                    "bad schema " + site.config().schema(site.dir()) + ": " + e.getMessage());
        }
    }

    /** Starts the user endpoint as {@code user} and waits for its answer (it renders its config first). */
    long launch(StartUserEndpoint c, LocalUser user, Template t) {
        UserEndpointStart input = new UserEndpointStart(
                c.userEndpoint(),
                site.manager(),
                site.serviceUrls(),
                site.caPem(),
                c.token(),
                c.channelPath(),
                t.text(),
                t.dir().toString(),
                t.schema(),
                c.userConfig(),
                c.userRuntime(),
                user,
                c.identities().get(0).get("id"),
                site.config().forTemplates(site.privileged()),
                site.config().allowedFunctions(),
                audit.on());
        List<String> options = site.config().userEndpointJvmOptions();
        String archive = !site.config().classArchive()
                ? null
                : UserEndpointLauncher.classArchive(
                        site.privileged()
                                ? Path.of(user.dir(), ".gantry")
                                : dev.gantry.protocol.GantryHome.resolve().dir(),
                        site.java(),
                        site.classpath(),
                        options);
        List<String> cmd =
                UserEndpointLauncher.command(user, site.privileged(), site.java(), site.classpath(), options, archive);
        Map<String, String> env = UserEndpointLauncher.environment(
                user,
                site.privileged(),
                System.getenv(),
                UserEnvironment.read(site.config().environment(site.dir())),
                c.userRuntime());
        Process p;
        try {
            p = UserEndpointLauncher.start(cmd, env, input);
        } catch (IOException e) {
            throw new StartRefused(
                    "the user endpoint could not be started; see the endpoint's administrator",
                    "cannot run " + cmd.get(0) + ": " + e.getMessage());
        }
        UserEndpointLauncher.awaitReady(
                p,
                c.userEndpoint() + "/" + user.uname(),
                site.config().startTimeoutMs(),
                audit.on() ? line -> audit.fromUserEndpoint(c.userEndpoint(), user, p.pid(), line) : null);
        audit.userEndpoint(c.userEndpoint(), user, p.pid(), "user_endpoint_started", null);
        p.onExit()
                .thenRun(() -> audit.userEndpoint(
                        c.userEndpoint(), user, p.pid(), "user_endpoint_exited", "exit code " + p.exitValue()));
        children.add(c.userEndpoint(), p, user.uname(), this::startAgain);
        return p.pid();
    }

    private void startAgain(StartUserEndpoint kept) {
        ReentrantLock lock = starting.computeIfAbsent(kept.userEndpoint(), k -> new ReentrantLock());
        lock.lock();
        try {
            if (children.keepIfRunning(kept).isEmpty()) {
                startNew(kept);
            }
        } catch (StartRefused e) {
            log.warn("user endpoint {} could not start again: {}", kept.userEndpoint(), e.detail());
        } finally {
            lock.unlock();
        }
    }
}
