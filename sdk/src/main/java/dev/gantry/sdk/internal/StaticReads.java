package dev.gantry.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.JavaBundle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The state a shipped function reads that the endpoint cannot see: the static, non-final fields of shipped
 * classes read by the code the function can reach. On the endpoint those fields hold what the class's
 * initializer gives them (for jshell's top-level variables: zero or null), so the SDK sends their current
 * values along, or refuses the function when a value cannot travel as JSON. Fields of the JDK, of Gantry's
 * protocol and of Jackson are the endpoint's own and are left alone.
 */
final class StaticReads {
    /** A static field by its class's binary name. */
    record FieldName(String owner, String name) {}

    private record MethodRef(String owner, String name, String desc) {}

    private static final int MAX_METHODS = 20_000;
    private static final Map<ClassLoader, Map<String, List<FieldName>>> FIELDS =
            Collections.synchronizedMap(new WeakHashMap<>());

    private StaticReads() {}

    /** The current values of the fields read from {@code owner.method} ({@code desc} null: any overload). */
    static List<JavaBundle.StaticValue> values(String owner, String method, String desc, ClassLoader loader) {
        Map<String, List<FieldName>> byRoot;
        synchronized (FIELDS) {
            byRoot = FIELDS.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
        List<FieldName> fields =
                byRoot.computeIfAbsent(owner + "." + method + desc, k -> fields(owner, method, desc, loader));
        if (fields.isEmpty()) {
            return List.of();
        }
        List<JavaBundle.StaticValue> out = new ArrayList<>(fields.size());
        for (FieldName f : fields) {
            out.add(new JavaBundle.StaticValue(f.owner(), f.name(), value(f, loader)));
        }
        return out;
    }

    /** The static, non-final fields of shipped classes that code reachable from the root reads. */
    static List<FieldName> fields(String owner, String method, String desc, ClassLoader loader) {
        Set<FieldName> read = new LinkedHashSet<>();
        Set<MethodRef> seen = new HashSet<>();
        Deque<MethodRef> todo = new ArrayDeque<>(List.of(new MethodRef(owner, method, desc)));
        while (!todo.isEmpty() && seen.size() < MAX_METHODS) {
            MethodRef m = todo.poll();
            if (!seen.add(m) || ClassClosure.provided(m.owner())) {
                continue;
            }
            byte[] bytes = ClassClosure.read(m.owner(), loader);
            if (bytes != null) {
                scan(reader(bytes), m, read, todo);
            }
        }
        List<FieldName> out = new ArrayList<>();
        for (FieldName f : read) {
            Field field = field(f, loader);
            if (field != null && Modifier.isStatic(field.getModifiers()) && !Modifier.isFinal(field.getModifiers())) {
                out.add(new FieldName(field.getDeclaringClass().getName(), field.getName()));
            }
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    /** Notes what method {@code m} reads and calls; a method the class does not declare is looked for above. */
    private static void scan(ClassReader r, MethodRef m, Set<FieldName> read, Deque<MethodRef> todo) {
        boolean[] declared = {false};
        r.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                        if (!name.equals(m.name()) || (m.desc() != null && !desc.equals(m.desc()))) {
                            return null;
                        }
                        declared[0] = true;
                        return new MethodVisitor(Opcodes.ASM9) {
                            @Override
                            public void visitFieldInsn(int op, String owner, String field, String type) {
                                if (op == Opcodes.GETSTATIC && !ClassClosure.provided(owner)) {
                                    read.add(new FieldName(owner.replace('/', '.'), field));
                                }
                            }

                            @Override
                            public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                                todo.add(new MethodRef(owner, n, d));
                            }

                            @Override
                            public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                                for (Object a : args) {
                                    if (a instanceof Handle h) {
                                        todo.add(new MethodRef(h.getOwner(), h.getName(), h.getDesc()));
                                    }
                                }
                            }
                        };
                    }
                },
                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (!declared[0] && r.getSuperName() != null) {
            todo.add(new MethodRef(r.getSuperName(), m.name(), m.desc()));
        }
    }

    /** ASM refuses class files newer than it knows; what is read here has not changed since Java 21's. */
    private static ClassReader reader(byte[] bytes) {
        try {
            return new ClassReader(bytes);
        } catch (IllegalArgumentException newer) {
            byte[] copy = bytes.clone();
            copy[6] = 0;
            copy[7] = 65;
            return new ClassReader(copy);
        }
    }

    private static Field field(FieldName f, ClassLoader loader) {
        try {
            for (Class<?> c = Class.forName(f.owner(), false, loader); c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.getName().equals(f.name())) {
                        return field;
                    }
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return null;
    }

    /** The field's value as JSON that the endpoint can decode into the field's type: checked here, once. */
    private static JsonNode value(FieldName f, ClassLoader loader) {
        Field field;
        Object v;
        try {
            field = Class.forName(f.owner(), true, loader).getDeclaredField(f.name());
            field.setAccessible(true);
            v = field.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            throw refused(f, "it cannot be read (" + e + ")");
        }
        try {
            JsonNode json = Json.mapper().valueToTree(v);
            Json.mapper().treeToValue(json, Json.mapper().constructType(field.getGenericType()));
            return json;
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw refused(
                    f,
                    "its value, a " + v.getClass().getName() + ", cannot be sent as JSON ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static GantryException refused(FieldName f, String why) {
        boolean jshell = f.owner().startsWith("REPL.$JShell$");
        String what = jshell
                ? "jshell's variable '" + f.name() + "'"
                : "the static field " + f.owner() + "." + f.name()
                        + ", which the endpoint would see as its initial value,";
        return new GantryException(
                ApiError.SEMANTICALLY_INVALID,
                "the function reads " + what + " and " + why + ". Pass what the function needs as an argument, or"
                        + " copy it into a local variable of a JSON type (numbers, strings, records, lists, maps)"
                        + " before the lambda");
    }
}
