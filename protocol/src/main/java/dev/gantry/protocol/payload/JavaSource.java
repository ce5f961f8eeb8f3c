package dev.gantry.protocol.payload;

import java.util.List;

/**
 * A Java function as source text: one compilation unit and the public static method to call, as
 * {@code pkg.Class::method} (or {@code pkg.Class.method}). Compiled on the endpoint with {@code javax.tools}.
 */
public record JavaSource(String source, String entryPoint) {
    public JavaSource {
        if (source == null || source.isBlank()) {
            throw Buffers.malformed("Java source is empty");
        }
        if (entryPoint == null || !entryPoint.matches("[\\w.$]+(::|\\.)[\\w$]+")) {
            throw Buffers.malformed("the entry point is 'pkg.Class::method', got '" + entryPoint + "'");
        }
    }

    public String className() {
        int i = entryPoint.indexOf("::");
        return i >= 0 ? entryPoint.substring(0, i) : entryPoint.substring(0, entryPoint.lastIndexOf('.'));
    }

    public String methodName() {
        int i = entryPoint.indexOf("::");
        return i >= 0 ? entryPoint.substring(i + 2) : entryPoint.substring(entryPoint.lastIndexOf('.') + 1);
    }

    /** The function code: one packed buffer in the Java-source strategy. */
    public String functionCode() {
        return Buffers.pack(List.of(Strategy.JAVA_SOURCE.tag(dev.gantry.protocol.Json.write(this))));
    }
}
