package dev.gantry.protocol.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Java function as the SDK ships it: the class files it needs (content-addressed) and how to rebuild it.
 * A lambda or method reference is rebuilt from its {@code SerializedLambda} fields and captured values; an
 * object of a class implementing a remote-function interface is rebuilt from its JSON. The static fields the
 * function reads that its classes' initializers would not set as they were when it was submitted (jshell's
 * top-level variables, a field the program assigned) travel with their values in {@code statics}. No Java
 * native serialization is involved at any point.
 */
public record JavaBundle(List<ClassFile> classes, Lambda lambda, Instance instance, List<StaticValue> statics) {
    public JavaBundle {
        classes = classes == null ? List.of() : List.copyOf(classes);
        statics = statics == null ? List.of() : List.copyOf(statics);
        if ((lambda == null) == (instance == null)) {
            throw Buffers.malformed("a Java function is either a lambda or an instance");
        }
    }

    /** The same function with other class files (the service stores their bytes apart). */
    public JavaBundle withClasses(List<ClassFile> other) {
        return new JavaBundle(other, lambda, instance, statics);
    }

    /** One class file: binary name, sha-256 of the bytes, base64 bytes. */
    public record ClassFile(String name, String sha256, String bytes) {}

    /** The fields of {@code java.lang.invoke.SerializedLambda}, with captured values as typed JSON. */
    public record Lambda(
            String capturingClass,
            String functionalInterfaceClass,
            String functionalInterfaceMethodName,
            String functionalInterfaceMethodSignature,
            int implMethodKind,
            String implClass,
            String implMethodName,
            String implMethodSignature,
            String instantiatedMethodType,
            List<TypedValue> capturedArgs) {
        public Lambda {
            capturedArgs = capturedArgs == null ? List.of() : List.copyOf(capturedArgs);
        }
    }

    /** An object of a class implementing a remote-function interface, as JSON. */
    public record Instance(String className, JsonNode state) {}

    /** The value of a static field ({@code className} is binary) as JSON of the field's declared type. */
    public record StaticValue(String className, String field, JsonNode value) {}

    /** A value with its class's binary name. */
    public record TypedValue(String type, JsonNode value) {}
}
