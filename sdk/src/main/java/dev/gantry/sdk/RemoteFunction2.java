package dev.gantry.sdk;

/** A remote function of 2 arguments. */
@FunctionalInterface
public interface RemoteFunction2<A, B, R> extends RemoteFunction {
    R apply(A a, B b) throws Exception;
}
