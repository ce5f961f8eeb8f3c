package dev.gantry.bench;

import dev.gantry.sdk.RemoteFunction1;

/** Functions of the function-kinds benchmark, created in a small class so that little is shipped. */
public final class KindsFns {
    private KindsFns() {}

    /** A distinct function per {@code k}: registering it ships and loads its classes anew. */
    public static RemoteFunction1<Integer, Integer> adder(int k) {
        return x -> x + k;
    }
}
