package dev.gantry.worker;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.Arguments;
import dev.gantry.protocol.payload.JavaBundle;
import dev.gantry.protocol.payload.JavaNative;
import dev.gantry.protocol.payload.Strategy;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Rebuilds a shipped Java function in its own {@link BundleClassLoader}. A lambda is rebuilt through its
 * capturing class's {@code $deserializeLambda$} from the {@code SerializedLambda} fields, with captured values
 * decoded from JSON into their declared classes; an instance is decoded from JSON. Then the remote-function
 * interface's single method is called with the arguments decoded into its parameter types. The static fields
 * the bundle carries are set, after their classes' initializers ran, before the function is built.
 */
final class JavaFunctions {
    private static final ObjectMapper JSON = Json.mapper();

    private JavaFunctions() {}

    static Invocable load(String name, JavaBundle bundle) throws ReflectiveOperationException {
        Map<String, byte[]> classes = new HashMap<>();
        for (JavaBundle.ClassFile f : bundle.classes()) {
            classes.put(f.name(), Base64.getDecoder().decode(f.bytes()));
        }
        ClassLoader loader = new BundleClassLoader("gantry-fn-" + name, classes, JavaFunctions.class.getClassLoader());
        for (JavaBundle.StaticValue v : bundle.statics()) {
            Field field = Class.forName(v.className(), true, loader).getDeclaredField(v.field());
            field.setAccessible(true);
            field.set(null, decode(v.value(), JSON.getTypeFactory().constructType(field.getGenericType())));
        }
        return bundle.lambda() != null ? lambda(bundle.lambda(), loader) : instance(bundle.instance(), loader);
    }

    private static Invocable lambda(JavaBundle.Lambda l, ClassLoader loader) throws ReflectiveOperationException {
        Class<?> capturing = Class.forName(binary(l.capturingClass()), false, loader);
        Object[] captured = new Object[l.capturedArgs().size()];
        for (int i = 0; i < captured.length; i++) {
            JavaBundle.TypedValue v = l.capturedArgs().get(i);
            captured[i] = decode(v.value(), type(v.type(), loader));
        }
        SerializedLambda sl = new SerializedLambda(
                capturing,
                l.functionalInterfaceClass(),
                l.functionalInterfaceMethodName(),
                l.functionalInterfaceMethodSignature(),
                l.implMethodKind(),
                l.implClass(),
                l.implMethodName(),
                l.implMethodSignature(),
                l.instantiatedMethodType(),
                captured);
        Method deserialize = capturing.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
        deserialize.setAccessible(true);
        Object fn = deserialize.invoke(null, sl);
        Class<?> iface = Class.forName(binary(l.functionalInterfaceClass()), false, loader);
        MethodType erased = MethodType.fromMethodDescriptorString(l.functionalInterfaceMethodSignature(), loader);
        Method target = iface.getMethod(l.functionalInterfaceMethodName(), erased.parameterArray());
        target.setAccessible(true);
        MethodType actual = MethodType.fromMethodDescriptorString(l.instantiatedMethodType(), loader);
        return caller(fn, target, actual.parameterArray());
    }

    private static Invocable instance(JavaBundle.Instance in, ClassLoader loader) throws ReflectiveOperationException {
        Class<?> cls = Class.forName(in.className(), false, loader);
        Object fn = decode(in.state(), cls);
        Method target = null;
        for (Method m : cls.getMethods()) {
            if (m.getName().equals("apply") && !m.isBridge() && !Modifier.isStatic(m.getModifiers())) {
                target = m;
            }
        }
        if (target == null) {
            throw new NoSuchMethodException(in.className() + " has no apply method");
        }
        target.setAccessible(true);
        return caller(fn, target, target.getParameterTypes());
    }

    /**
     * Calls {@code target} on {@code fn} with the task's arguments decoded into {@code paramTypes}: from JSON,
     * or from Java native serialization through the function's own class loader, in which case the result
     * goes back the same way.
     */
    static Invocable caller(Object fn, Method target, Class<?>[] paramTypes) {
        ClassLoader loader = fn != null
                ? fn.getClass().getClassLoader()
                : target.getDeclaringClass().getClassLoader();
        return (args, ctx) -> {
            boolean javaNative = args.javaNative() != null;
            Object[] values =
                    javaNative ? nativeValues(args.javaNative(), loader, paramTypes) : jsonValues(args, paramTypes);
            Object result = target.invoke(fn, values);
            return javaNative
                    ? Strategy.JAVA_NATIVE.tag(JavaNative.encode(result))
                    : Strategy.JSON.tag(JSON.writeValueAsString(result));
        };
    }

    private static Object[] jsonValues(Arguments args, Class<?>[] paramTypes) {
        checkCount(args.args().size(), paramTypes.length);
        Object[] values = new Object[paramTypes.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = decode(args.args().get(i), paramTypes[i]);
        }
        return values;
    }

    private static Object[] nativeValues(String body, ClassLoader loader, Class<?>[] paramTypes) throws Exception {
        if (!(JavaNative.decode(body, loader) instanceof Object[] values)) {
            throw new IllegalArgumentException("java_native arguments are an Object[]");
        }
        checkCount(values.length, paramTypes.length);
        for (int i = 0; i < values.length; i++) {
            Class<?> t = MethodType.methodType(paramTypes[i]).wrap().returnType();
            if (values[i] == null ? paramTypes[i].isPrimitive() : !t.isInstance(values[i])) {
                throw new IllegalArgumentException("argument " + i + " is "
                        + (values[i] == null ? "null" : values[i].getClass().getName()) + ", the function takes "
                        + paramTypes[i].getName());
            }
        }
        return values;
    }

    private static void checkCount(int given, int taken) {
        if (given != taken) {
            throw new IllegalArgumentException("the function takes " + taken + " arguments, the task has " + given);
        }
    }

    private static Object decode(JsonNode value, Class<?> type) {
        return decode(value, JSON.getTypeFactory().constructType(type));
    }

    private static Object decode(JsonNode value, JavaType t) {
        try {
            return JSON.treeToValue(value, t);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot decode " + value + " as " + t.toCanonical(), e);
        }
    }

    private static Class<?> type(String name, ClassLoader loader) throws ClassNotFoundException {
        return switch (name) {
            case "int" -> int.class;
            case "long" -> long.class;
            case "double" -> double.class;
            case "float" -> float.class;
            case "boolean" -> boolean.class;
            case "short" -> short.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            default -> Class.forName(name, false, loader);
        };
    }

    private static String binary(String internalName) {
        return internalName.replace('/', '.');
    }
}
