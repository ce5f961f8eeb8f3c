package dev.gantry.sdk.internal;

import dev.gantry.protocol.api.FunctionRegistration;

/**
 * A function ready to register. {@code key} is equal for functions that behave the same (same code and
 * captured values), so they are registered once; {@code resultType} is what results decode to.
 */
public record PackedFunction(String key, FunctionRegistration registration, Class<?> resultType) {}
