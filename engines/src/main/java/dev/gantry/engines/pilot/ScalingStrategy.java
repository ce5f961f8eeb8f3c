package dev.gantry.engines.pilot;

import dev.gantry.protocol.Backoff;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides how many blocks to ask the provider for and which to give back: a pure function from a
 * {@link Snapshot} to a {@link Decision}, run every strategy period. It follows Parsl's "simple" strategy:
 * scale out while the slots of live blocks fall short of {@code outstanding × parallelism} (never past
 * {@code max_blocks}, never below {@code min_blocks}); scale in to {@code min_blocks} once there has been no
 * outstanding task for {@code max_idletime}. A provider that refused a submit is left alone for a backoff
 * that doubles with each refusal in a row (5 s up to 5 min), then asked for one block at a time until one is
 * accepted, so a broken scheduler does not get a storm.
 */
public final class ScalingStrategy {
    static final long FIRST_BACKOFF_MS = 5_000;
    static final long MAX_BACKOFF_MS = 300_000;

    private ScalingStrategy() {}

    /** The limits of the engine's configuration that the strategy uses. */
    public record Limits(
            int minBlocks,
            int maxBlocks,
            int nodesPerBlock,
            int workersPerNode,
            double parallelism,
            long maxIdleTimeMs) {
        public Limits {
            if (minBlocks < 0 || maxBlocks < minBlocks || maxBlocks < 1) {
                throw new IllegalArgumentException(
                        "need 0 <= min_blocks <= max_blocks and max_blocks >= 1, got min_blocks " + minBlocks
                                + ", max_blocks " + maxBlocks);
            }
            if (nodesPerBlock < 1 || workersPerNode < 1) {
                throw new IllegalArgumentException("nodes_per_block and workers per node must be at least 1");
            }
            if (parallelism < 0 || parallelism > 1) {
                throw new IllegalArgumentException("parallelism must be between 0 and 1, got " + parallelism);
            }
            if (maxIdleTimeMs < 0) {
                throw new IllegalArgumentException("max_idletime must not be negative");
            }
        }

        int slotsPerBlock() {
            return nodesPerBlock * workersPerNode;
        }
    }

    /** A live block (pending or running at its scheduler): its id, whether it runs, and its busy workers. */
    public record Block(String id, boolean running, int busyWorkers, long startedAtMs) {}

    /**
     * What the strategy sees: tasks outstanding (queued in the interchange or running), live blocks, since when
     * nothing has been outstanding (null while busy), and refused submits in a row with the time of the last.
     */
    public record Snapshot(
            long nowMs,
            int outstanding,
            List<Block> blocks,
            Long idleSinceMs,
            int refusalsInARow,
            long lastRefusalMs) {}

    /** Blocks to submit, blocks to cancel, the idle mark to keep, and why (for the log). */
    public record Decision(int scaleOut, List<String> scaleIn, Long idleSinceMs, String reason) {
        boolean nothing() {
            return scaleOut == 0 && scaleIn.isEmpty();
        }
    }

    public static Decision decide(Limits limits, Snapshot s) {
        int live = s.blocks().size();
        if (s.outstanding() > 0) {
            if (live < limits.minBlocks()) {
                return out(limits.minBlocks() - live, s, "below min_blocks");
            }
            long slots = (long) live * limits.slotsPerBlock();
            double wanted = Math.ceil(s.outstanding() * limits.parallelism());
            if (slots == 0 && wanted == 0) {
                wanted = 1; // parallelism 0 still needs one block to run anything
            }
            if (slots < wanted && live < limits.maxBlocks()) {
                int blocks = (int) Math.ceil((wanted - slots) / limits.slotsPerBlock());
                return out(
                        Math.min(blocks, limits.maxBlocks() - live),
                        s,
                        s.outstanding() + " tasks outstanding for " + slots + " slots");
            }
            return new Decision(0, List.of(), null, "enough blocks");
        }
        if (live < limits.minBlocks()) {
            return out(limits.minBlocks() - live, s, "below min_blocks");
        }
        if (live == limits.minBlocks()) {
            return new Decision(0, List.of(), null, "idle at min_blocks");
        }
        long idleSince = s.idleSinceMs() == null ? s.nowMs() : s.idleSinceMs();
        if (s.nowMs() - idleSince < limits.maxIdleTimeMs()) {
            return new Decision(0, List.of(), idleSince, "idle for less than max_idletime");
        }
        // give back pending blocks first (they cost nothing yet), then the youngest running ones
        List<Block> order = new ArrayList<>(s.blocks());
        order.sort(Comparator.comparing(Block::running)
                .thenComparing(Block::busyWorkers)
                .thenComparing(Comparator.comparingLong(Block::startedAtMs).reversed()));
        List<String> in = order.subList(0, live - limits.minBlocks()).stream()
                .map(Block::id)
                .toList();
        return new Decision(0, in, null, "idle for max_idletime");
    }

    private static Decision out(int blocks, Snapshot s, String why) {
        long wait = backoffMs(s.refusalsInARow());
        if (wait > 0 && s.nowMs() - s.lastRefusalMs() < wait) {
            return new Decision(
                    0,
                    List.of(),
                    null,
                    "the provider refused the last " + s.refusalsInARow() + " submits; next try in "
                            + (wait - (s.nowMs() - s.lastRefusalMs())) + " ms");
        }
        if (s.refusalsInARow() > 0 && blocks > 1) {
            return new Decision(1, List.of(), null, why + "; one block at a time after a refusal");
        }
        return new Decision(blocks, List.of(), null, why);
    }

    /** The wait after {@code refusals} refused submits in a row: 0, then 5 s doubling up to 5 min. */
    static long backoffMs(int refusals) {
        return refusals <= 0 ? 0 : REFUSALS.capMs(refusals);
    }

    private static final Backoff REFUSALS = new Backoff(FIRST_BACKOFF_MS, MAX_BACKOFF_MS, false);
}
