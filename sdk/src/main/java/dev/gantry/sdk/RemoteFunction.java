package dev.gantry.sdk;

import java.io.Serializable;

/**
 * A function Gantry can run remotely. Lambdas and method references of its sub-interfaces are shipped with
 * the class files they need; they extend {@link Serializable} only so that the compiler records how to
 * rebuild them (Java serialization itself is never used). Captured values and arguments travel as JSON.
 */
public interface RemoteFunction extends Serializable {}
