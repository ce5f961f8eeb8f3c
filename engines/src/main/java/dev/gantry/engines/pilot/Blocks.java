package dev.gantry.engines.pilot;

import dev.gantry.engines.provider.BlockJob;
import dev.gantry.engines.provider.JobState;
import dev.gantry.engines.provider.JobStatus;
import dev.gantry.engines.provider.Provider;
import dev.gantry.engines.provider.ProviderException;
import dev.gantry.protocol.api.StatusReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pilot engine's blocks: asks the provider for them and gives them back as the {@link ScalingStrategy}
 * decides, every strategy period, and follows their jobs' states. A block whose job ended is forgotten (its
 * managers' tasks fail with {@code BLOCK_ENDED}); refused submits back off, and after three in a row with no
 * block alive the queued tasks fail with the scheduler's own words.
 */
final class Blocks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Blocks.class);
    static final int REFUSALS_BEFORE_FAILING = 3;

    /** A block: its name, the scheduler's job id, its last known state, and when it was submitted. */
    record Block(String id, String jobId, JobState state, long submittedAtMs) {}

    private final Provider provider;
    private final ScalingStrategy.Limits limits;
    private final String label;
    private final Path dir;
    private final Function<String, String> command;
    private final Map<String, String> secrets;
    private final Map<String, Block> live = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ended = new ConcurrentHashMap<>();
    private int next;
    private Long idleSinceMs;
    private int refusals;
    private long lastRefusalMs;
    private volatile String lastError = "";

    /** {@code command} gives the job script's line that starts a block's managers, by block id. */
    private final Clock clock;

    Blocks(
            Provider provider,
            ScalingStrategy.Limits limits,
            String label,
            Path dir,
            Function<String, String> command,
            Map<String, String> secrets,
            Clock clock) {
        this.clock = clock;
        this.secrets = secrets;
        this.provider = provider;
        this.limits = limits;
        this.label = label;
        this.dir = dir;
        this.command = command;
    }

    /** Whether the block's job has ended (or the block was given back). */
    boolean ended(String block) {
        return ended.containsKey(block);
    }

    List<Block> live() {
        return List.copyOf(live.values());
    }

    String lastError() {
        return lastError;
    }

    /** Submits {@code n} blocks ({@code init_blocks} at start); false if the provider refused one. */
    synchronized boolean submit(int n) {
        for (int i = 0; i < n; i++) {
            String id = label + "-" + next++;
            try {
                String job = provider.submit(
                        new BlockJob("gantry-" + id, command.apply(id), limits.nodesPerBlock(), dir, secrets));
                live.put(id, new Block(id, job, JobState.PENDING, clock.millis()));
                refusals = 0;
                log.info("block {} submitted to {} as job {}", id, provider.type(), job);
            } catch (ProviderException e) {
                refusals++;
                lastRefusalMs = clock.millis();
                lastError = e.getMessage();
                log.warn("{} refused block {} ({} in a row): {}", provider.type(), id, refusals, e.getMessage());
                return false;
            }
        }
        return true;
    }

    /**
     * One round: refresh the jobs' states, then scale. {@code busy} gives a block's busy workers; returns true
     * if the queued tasks should fail because the scheduler keeps refusing blocks and none is alive.
     */
    synchronized boolean round(int outstanding, Function<String, Integer> busy) {
        refresh();
        long now = clock.millis();
        List<ScalingStrategy.Block> view = new ArrayList<>();
        for (Block b : live.values()) {
            view.add(new ScalingStrategy.Block(
                    b.id(), b.state() == JobState.RUNNING, busy.apply(b.id()), b.submittedAtMs()));
        }
        ScalingStrategy.Decision d = ScalingStrategy.decide(
                limits, new ScalingStrategy.Snapshot(now, outstanding, view, idleSinceMs, refusals, lastRefusalMs));
        idleSinceMs = d.idleSinceMs();
        if (d.scaleOut() > 0) {
            log.info("scaling out by {} blocks: {}", d.scaleOut(), d.reason());
            submit(d.scaleOut());
        }
        if (!d.scaleIn().isEmpty()) {
            log.info("scaling in {}: {}", d.scaleIn(), d.reason());
            cancel(d.scaleIn());
        }
        return refusals >= REFUSALS_BEFORE_FAILING && live.isEmpty() && outstanding > 0;
    }

    private void refresh() {
        if (live.isEmpty()) {
            return;
        }
        Map<String, Block> byJob = new ConcurrentHashMap<>();
        live.values().forEach(b -> byJob.put(b.jobId(), b));
        Map<String, JobStatus> states;
        try {
            states = provider.status(List.copyOf(byJob.keySet()));
        } catch (ProviderException e) {
            log.warn("cannot read the blocks' states from {}: {}", provider.type(), e.getMessage());
            return;
        }
        states.forEach((job, s) -> {
            Block b = byJob.get(job);
            if (b == null) {
                return;
            }
            if (s.state().ended()) {
                ended.put(b.id(), Boolean.TRUE);
                live.remove(b.id());
                log.info("block {} (job {}) ended: {} {}", b.id(), job, s.state(), s.message());
            } else if (s.state() != b.state()) {
                live.put(b.id(), new Block(b.id(), b.jobId(), s.state(), b.submittedAtMs()));
            }
        });
    }

    private void cancel(List<String> ids) {
        List<String> jobs = new ArrayList<>();
        for (String id : ids) {
            Block b = live.remove(id);
            if (b != null) {
                ended.put(id, Boolean.TRUE);
                jobs.add(b.jobId());
            }
        }
        try {
            provider.cancel(jobs);
        } catch (ProviderException e) {
            log.warn("{} did not cancel jobs {}: {}", provider.type(), jobs, e.getMessage());
        }
    }

    /** The blocks for a status report. */
    List<StatusReport.BlockStatus> describe() {
        return live.values().stream()
                .map(b -> new StatusReport.BlockStatus(
                        b.id(), b.jobId(), b.state().name().toLowerCase(Locale.ROOT)))
                .toList();
    }

    @Override
    public synchronized void close() {
        cancel(List.copyOf(live.keySet()));
    }
}
