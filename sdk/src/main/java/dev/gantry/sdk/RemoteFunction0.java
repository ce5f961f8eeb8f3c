package dev.gantry.sdk;

/** A remote function of 0 arguments. */
@FunctionalInterface
public interface RemoteFunction0<R> extends RemoteFunction {
    R apply() throws Exception;
}
