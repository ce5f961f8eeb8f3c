package dev.gantry.sdk;

import dev.gantry.protocol.api.FunctionMeta;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.Strategy;
import java.util.List;

/**
 * A Python function given as source text, run by {@code python3} on the endpoint with JSON arguments.
 * It is registered as Globus Compute's {@code register_source_code} registers ({@code st} strategy,
 * {@code name:source}), so Globus Compute endpoints can run it too.
 */
public record PythonFunction(String source, String name) {
    public PythonFunction {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("a Python function name is an identifier, got '" + name + "'");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a Python function needs its source");
        }
    }

    FunctionRegistration registration() {
        String code = Buffers.pack(List.of(Strategy.PYTHON_SOURCE.tag(name + ":" + source)));
        return new FunctionRegistration(
                name,
                code,
                null,
                new FunctionMeta(
                        dev.gantry.sdk.internal.FunctionPacker.SDK_VERSION,
                        Runtime.version().toString(),
                        null,
                        Strategy.PYTHON_SOURCE.id()));
    }
}
