package dev.gantry.protocol.api;

/** What the registering SDK says of itself; Globus Compute's {@code meta} with Java fields added. */
public record FunctionMeta(String sdkVersion, String javaVersion, String pythonVersion, String serdeIdentifier) {}
