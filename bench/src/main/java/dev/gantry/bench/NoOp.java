package dev.gantry.bench;

import dev.gantry.sdk.ComputeExecutor;
import dev.gantry.sdk.ComputeFuture;

/** The benchmark's function, in a class of its own so that little is shipped. */
public final class NoOp {
    private NoOp() {}

    public static Integer identity(Integer x) {
        return x;
    }

    public static ComputeFuture<Integer> submit(ComputeExecutor ex, int i) {
        return ex.submit(NoOp::identity, i);
    }
}
