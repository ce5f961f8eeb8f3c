package dev.gantry.engines.pilot;

import dev.gantry.engines.Engine;
import dev.gantry.engines.LauncherConfig;
import dev.gantry.engines.PilotConfig;
import dev.gantry.engines.provider.Launcher;
import dev.gantry.engines.provider.Provider;
import dev.gantry.engines.provider.Shell;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HPC engine (Globus Compute's {@code GlobusComputeEngine}): an {@link Interchange} in the endpoint, and
 * blocks from a {@link Provider}, each starting a manager per node through a {@link Launcher}; managers run
 * the workers and connect back. {@link Blocks} scales them every strategy period. The token that lets a
 * manager in, and the certificate it trusts the interchange by ({@link PilotLink}), are in an owner-only file of
 * the blocks' directory.
 */
public final class PilotEngine implements Engine {
    private static final Logger log = LoggerFactory.getLogger(PilotEngine.class);

    private final PilotConfig cfg;
    private final Path workDir;
    private final Path blocksDir;
    private final Provider provider;
    private final Launcher launcher;
    private final Clock clock;
    private Interchange interchange;
    private Blocks blocks;
    private Path tokenFile;
    private volatile boolean open = true;
    private Thread strategy;

    public PilotEngine(PilotConfig cfg, Path workDir) {
        this(cfg, workDir, cfg.provider().create());
    }

    /** An engine whose blocks come from {@code provider} rather than the one its configuration names. */
    public PilotEngine(PilotConfig cfg, Path workDir, Provider provider) {
        this(cfg, workDir, provider, Clock.systemUTC());
    }

    /** With the clock its scaling, blocks and heartbeats read. */
    PilotEngine(PilotConfig cfg, Path workDir, Provider provider, Clock clock) {
        this.clock = clock;
        this.cfg = cfg;
        Path endpointDir = workDir.toAbsolutePath().getParent();
        this.workDir = cfg.workingDir() == null ? workDir : endpointDir.resolve(cfg.workingDir());
        this.blocksDir = endpointDir.resolve("blocks");
        this.provider = provider;
        LauncherConfig l = cfg.provider().launcher();
        this.launcher = l == null ? new Launcher.SingleNode() : l.create();
    }

    @Override
    public void start() {
        try {
            GantryHome.privateDir(blocksDir);
            PilotLink link = PilotLink.create(clock);
            String secret = link.secret();
            tokenFile = blocksDir.resolve("interchange.token");
            Files.deleteIfExists(tokenFile);
            Files.createFile(
                    tokenFile,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tokenFile, secret);
            long period = Math.round(cfg.heartbeatPeriod() * 1000);
            long threshold = Math.round(cfg.heartbeatThreshold() * 1000);
            blocks = new Blocks(
                    provider,
                    cfg.limits(),
                    "block",
                    blocksDir,
                    this::managerCommand,
                    Map.of(ManagerMain.TOKEN_VARIABLE, secret),
                    clock);
            interchange = new Interchange(
                    cfg.address(),
                    link,
                    cfg.prefetchCapacity(),
                    period,
                    threshold,
                    blocks::ended,
                    t -> onStart.accept(t),
                    chunks -> onOutput.accept(chunks),
                    clock);
            interchange.start();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the pilot engine's interchange: " + e.getMessage(), e);
        }
        log.info(
                "pilot engine: interchange on {}, provider {}, launcher {}",
                interchange.address(),
                provider.type(),
                launcher.getClass().getSimpleName());
        if (cfg.initBlocks() > 0) {
            blocks.submit(cfg.initBlocks());
        }
        strategy = Thread.ofVirtual().name("pilot-strategy").start(this::strategyLoop);
    }

    /** The job script's line for a block: the launcher starting this JVM's manager class on each node. */
    private String managerCommand(String block) {
        List<String> image = cfg.provider().managerJava();
        String java = image != null
                ? image.get(0)
                : ProcessHandle.current().info().command().orElse("java");
        String classpath = image != null ? image.get(1) : System.getProperty("java.class.path");
        // nodes that do not share the endpoint's files get the token in their environment (a Kubernetes Secret)
        String token = image != null ? ManagerMain.TOKEN_FROM_ENV : tokenFile.toString();
        List<String> argv = new java.util.ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        argv.addAll(dev.gantry.worker.PythonInterpreter.jvmOptions());
        argv.addAll(List.of(
                "-cp",
                classpath,
                ManagerMain.class.getName(),
                interchange.address(),
                token,
                block,
                Integer.toString(cfg.maxWorkersPerNode()),
                Double.toString(cfg.coresPerWorker()),
                Double.toString(cfg.memPerWorker()),
                Long.toString(Math.round(cfg.heartbeatPeriod() * 1000)),
                Long.toString(Math.round(cfg.heartbeatThreshold() * 1000)),
                workDir.toAbsolutePath().toString(),
                launcher.mpiLauncher()));
        String cmd = String.join(" ", argv.stream().map(Shell::quote).toList());
        return launcher.wrap(cmd, cfg.nodesPerBlock());
    }

    private void strategyLoop() {
        long periodMs = Math.round(cfg.strategyPeriod() * 1000);
        while (open) {
            try {
                int outstanding = interchange.queuedCount()
                        + interchange.managers().stream()
                                .mapToInt(l -> l.outstanding.size())
                                .sum();
                if (blocks.round(outstanding, this::busy)) {
                    interchange.failQueued(
                            FailureCode.PROVIDER_ERROR,
                            provider.type() + " refused " + Blocks.REFUSALS_BEFORE_FAILING + " blocks in a row: "
                                    + blocks.lastError());
                }
                // a block that ended takes its managers with it, even those that did not say goodbye
                interchange.managers().stream()
                        .filter(l -> blocks.ended(l.block) && l.outstanding.isEmpty())
                        .forEach(l -> interchange.lost(l, "its block ended"));
                Thread.sleep(periodMs);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("pilot engine: a scaling round failed", e);
            }
        }
    }

    private int busy(String block) {
        return interchange.managers().stream()
                .filter(l -> l.block.equals(block))
                .mapToInt(l -> Math.min(l.workers, l.outstanding.size()))
                .sum();
    }

    @Override
    public void submit(TaskMessage task, FunctionDoc function, Consumer<TaskResult> onDone) {
        if (!interchange.hasFreeSlot()) {
            onWait.accept(task.task());
        }
        interchange.submit(new PilotTask(task, function, onDone));
    }

    private volatile Consumer<TaskId> onStart = t -> {};
    private volatile Consumer<TaskId> onWait = t -> {};
    private volatile Consumer<List<OutputChunk>> onOutput = chunks -> {};

    @Override
    public boolean reportOutput(Consumer<List<OutputChunk>> onOutput) {
        this.onOutput = onOutput;
        return true;
    }

    /** A task that arrives when no manager has a free slot waits for nodes (a block to start or to free up). */
    @Override
    public boolean reportNodeWaits(Consumer<TaskId> onWait) {
        this.onWait = onWait;
        return true;
    }

    /** Starts are reported by the managers: a task waiting for nodes is not running yet. */
    @Override
    public boolean reportStarts(Consumer<TaskId> onStart) {
        this.onStart = onStart;
        return true;
    }

    @Override
    public boolean cancel(TaskId task) {
        return interchange.cancel(task);
    }

    @Override
    public int workers() {
        return cfg.maxWorkers();
    }

    @Override
    public StatusReport status() {
        if (interchange == null) {
            return new StatusReport(0, 0, 0, 0, 0, "pilot", List.of()); // not started yet
        }
        List<ManagerConnection> links = interchange.managers();
        int total = links.stream().mapToInt(l -> l.workers).sum();
        int busy = links.stream()
                .mapToInt(l -> Math.min(l.workers, l.outstanding.size()))
                .sum();
        int pending = interchange.queuedCount();
        int out = links.stream().mapToInt(l -> l.outstanding.size()).sum();
        return new StatusReport(total, total - busy, pending, pending + out, links.size(), "pilot", blocks.describe());
    }

    @Override
    public void close() {
        open = false;
        if (strategy != null) {
            strategy.interrupt();
        }
        if (blocks != null) {
            blocks.close();
        }
        if (interchange != null) {
            interchange.close();
        }
        try {
            if (tokenFile != null) {
                Files.deleteIfExists(tokenFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
