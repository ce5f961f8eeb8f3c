package dev.gantry.engines.pilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engines.pilot.ScalingStrategy.Block;
import dev.gantry.engines.pilot.ScalingStrategy.Decision;
import dev.gantry.engines.pilot.ScalingStrategy.Limits;
import dev.gantry.engines.pilot.ScalingStrategy.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scaling strategy as a table: limits and a snapshot in, a decision out. */
class ScalingStrategyTest {
    static final long NOW = 1_000_000;

    /** {@code blocks}: one letter per live block, R running or P pending, with a digit of busy workers (R2). */
    static List<Block> blocks(String spec) {
        List<Block> out = new ArrayList<>();
        if (spec.isBlank()) {
            return out;
        }
        String[] parts = spec.trim().split(" ");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            out.add(new Block("b" + i, p.charAt(0) == 'R', p.length() > 1 ? p.charAt(1) - '0' : 0, NOW - 100_000 + i));
        }
        return out;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                  | min | max | nodes | workers | par | idle s | outstanding | blocks    | idle since s ago | refusals | refused s ago | out | in
            no tasks, no blocks                      | 0   | 2   | 1     | 4       | 1.0 | 60     | 0           |           |                  | 0        | 0             | 0   |
            tasks arrive: scale out from zero        | 0   | 2   | 1     | 4       | 1.0 | 60     | 300         |           |                  | 0        | 0             | 2   |
            one task needs one block                 | 0   | 2   | 1     | 4       | 1.0 | 60     | 1           |           |                  | 0        | 0             | 1   |
            pending block counts as capacity         | 0   | 2   | 1     | 4       | 1.0 | 60     | 3           | P         |                  | 0        | 0             | 0   |
            at max_blocks: nothing more              | 0   | 2   | 1     | 4       | 1.0 | 60     | 300         | R4 R4     |                  | 0        | 0             | 0   |
            nodes per block multiply slots           | 0   | 10  | 2     | 4       | 1.0 | 60     | 20          | R8        |                  | 0        | 0             | 2   |
            parallelism 0.5 halves the wish          | 0   | 10  | 1     | 4       | 0.5 | 60     | 16          |           |                  | 0        | 0             | 2   |
            parallelism 0 still starts one block     | 0   | 10  | 1     | 4       | 0.0 | 60     | 16          |           |                  | 0        | 0             | 1   |
            parallelism 0 with a block: enough       | 0   | 10  | 1     | 4       | 0.0 | 60     | 16          | R4        |                  | 0        | 0             | 0   |
            below min_blocks while idle              | 2   | 4   | 1     | 4       | 1.0 | 60     | 0           | R0        |                  | 0        | 0             | 1   |
            below min_blocks while busy              | 3   | 4   | 1     | 4       | 1.0 | 60     | 1           | R1        |                  | 0        | 0             | 2   |
            idle, not long enough: keep, mark        | 0   | 2   | 1     | 4       | 1.0 | 60     | 0           | R0 R0     |                  | 0        | 0             | 0   |
            idle 30 s of 60: keep                    | 0   | 2   | 1     | 4       | 1.0 | 60     | 0           | R0 R0     | 30               | 0        | 0             | 0   |
            idle past max_idletime: back to zero     | 0   | 2   | 1     | 4       | 1.0 | 60     | 0           | R0 R0     | 61               | 0        | 0             | 0   | b0 b1
            idle past max_idletime: back to min      | 1   | 3   | 1     | 4       | 1.0 | 60     | 0           | R0 P R0   | 61               | 0        | 0             | 0   | b1 b2
            at min_blocks and idle: nothing          | 1   | 3   | 1     | 4       | 1.0 | 60     | 0           | R0        | 600              | 0        | 0             | 0   |
            one refusal: wait 5 s                    | 0   | 2   | 1     | 4       | 1.0 | 60     | 10          |           |                  | 1        | 2             | 0   |
            one refusal, 5 s later: try again        | 0   | 2   | 1     | 4       | 1.0 | 60     | 10          |           |                  | 1        | 6             | 1   |
            three refusals: wait 20 s                | 0   | 2   | 1     | 4       | 1.0 | 60     | 10          |           |                  | 3        | 15            | 0   |
            three refusals, 21 s later: try again    | 0   | 2   | 1     | 4       | 1.0 | 60     | 10          |           |                  | 3        | 21            | 1   |
            refusals do not stop a scale-in          | 0   | 2   | 1     | 4       | 1.0 | 60     | 0           | R0        | 61               | 9        | 1             | 0   | b0
            """)
    void decides(
            String name,
            int min,
            int max,
            int nodes,
            int workers,
            double parallelism,
            int idleS,
            int outstanding,
            String blocks,
            Integer idleAgoS,
            int refusals,
            int refusedAgoS,
            int out,
            String in) {
        Limits limits = new Limits(min, max, nodes, workers, parallelism, idleS * 1000L);
        Snapshot s = new Snapshot(
                NOW,
                outstanding,
                blocks(blocks == null ? "" : blocks),
                idleAgoS == null ? null : NOW - idleAgoS * 1000L,
                refusals,
                NOW - refusedAgoS * 1000L);
        Decision d = ScalingStrategy.decide(limits, s);
        assertThat(d.scaleOut()).as(name + ": " + d.reason()).isEqualTo(out);
        assertThat(d.scaleIn())
                .as(name + ": " + d.reason())
                .containsExactlyInAnyOrderElementsOf(in == null ? List.of() : List.of(in.split(" ")));
    }

    @Test
    void anIdleExecutorIsMarkedIdleAndTheMarkIsKeptUntilWorkArrives() {
        Limits limits = new Limits(0, 2, 1, 4, 1.0, 60_000);
        Decision first = ScalingStrategy.decide(limits, new Snapshot(NOW, 0, blocks("R0"), null, 0, 0));
        assertThat(first.idleSinceMs()).isEqualTo(NOW);
        Decision later = ScalingStrategy.decide(limits, new Snapshot(NOW + 10_000, 0, blocks("R0"), NOW, 0, 0));
        assertThat(later.idleSinceMs()).isEqualTo(NOW);
        Decision busy = ScalingStrategy.decide(limits, new Snapshot(NOW + 20_000, 5, blocks("R0"), NOW, 0, 0));
        assertThat(busy.idleSinceMs()).isNull();
    }

    @Test
    void theBackoffDoublesUpToFiveMinutes() {
        assertThat(List.of(0, 1, 2, 3, 7, 50).stream()
                        .map(ScalingStrategy::backoffMs)
                        .toList())
                .containsExactly(0L, 5_000L, 10_000L, 20_000L, 300_000L, 300_000L);
    }

    @Test
    void badLimitsAreRefusedWithTheirNames() {
        assertThatThrownBy(() -> new Limits(3, 2, 1, 1, 1, 0)).hasMessageContaining("min_blocks");
        assertThatThrownBy(() -> new Limits(0, 2, 1, 1, 1.5, 0)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> new Limits(0, 2, 0, 1, 1, 0)).hasMessageContaining("nodes_per_block");
    }
}
