package dev.gantry.sdk;

/** A remote function of 1 argument. */
@FunctionalInterface
public interface RemoteFunction1<A, R> extends RemoteFunction {
    R apply(A a) throws Exception;
}
