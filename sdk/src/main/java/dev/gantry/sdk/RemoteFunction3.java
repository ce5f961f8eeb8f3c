package dev.gantry.sdk;

/** A remote function of 3 arguments. */
@FunctionalInterface
public interface RemoteFunction3<A, B, C, R> extends RemoteFunction {
    R apply(A a, B b, C c) throws Exception;
}
