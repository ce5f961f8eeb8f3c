package dev.gantry.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedMapTest {
    /** Completes each future on another thread, after the submit returned. */
    private static final Executor LATER = r -> Thread.ofVirtual().start(r);

    @Test
    void neverHasMoreThanTheWindowOutstandingAndKeepsTheInputsOrder() throws Exception {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> inputs = IntStream.range(0, 200).boxed().toList();
        List<Integer> out = BoundedMap.run(inputs, 4, x -> {
            most.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            CompletableFuture<Integer> f = new CompletableFuture<>();
            LATER.execute(() -> {
                outstanding.decrementAndGet();
                f.complete(x * 2);
            });
            return f;
        });
        assertThat(out).isEqualTo(inputs.stream().map(x -> x * 2).toList());
        assertThat(most.get()).isBetween(1, 4);
    }

    @Test
    void theFirstFailureStopsSubmittingAndCancelsWhatIsOutstanding() {
        List<CompletableFuture<Integer>> made = new ArrayList<>();
        assertThatThrownBy(() -> BoundedMap.run(IntStream.range(0, 100).boxed().toList(), 1, x -> {
                    CompletableFuture<Integer> f = new CompletableFuture<>();
                    made.add(f);
                    if (x == 3) {
                        f.completeExceptionally(new IllegalStateException("three"));
                    } else {
                        f.complete(x);
                    }
                    return f;
                }))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("three");
        assertThat(made).hasSize(4);
    }
}
