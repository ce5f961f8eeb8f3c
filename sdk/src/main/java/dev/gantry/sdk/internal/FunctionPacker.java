package dev.gantry.sdk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.FunctionMeta;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaBundle;
import dev.gantry.protocol.payload.ShellCommand;
import dev.gantry.protocol.payload.Strategy;
import dev.gantry.sdk.MPIFunction;
import dev.gantry.sdk.RemoteFunction;
import dev.gantry.sdk.ShellFunction;
import dev.gantry.sdk.ShellResult;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns a remote function into its registration: a Java bundle or a shell command, packed and tagged. */
public final class FunctionPacker {
    public static final String SDK_VERSION = "0.1.0";
    private static final FunctionMeta META =
            new FunctionMeta(SDK_VERSION, Runtime.version().toString(), null, Strategy.JAVA_BUNDLE.id());
    /** Closures by class, per class loader: two loaders may define different classes of one name. */
    private final Map<ClassLoader, Map<String, List<JavaBundle.ClassFile>>> closures =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    public PackedFunction pack(RemoteFunction fn) {
        if (fn == null) {
            throw new IllegalArgumentException("the function is null");
        }
        SerializedLambda sl = serializedLambda(fn);
        return sl != null ? lambda(fn, sl) : instance(fn);
    }

    /**
     * A cheap key, equal for functions that behave the same: the lambda's implementation and captured values,
     * or the object's class and state, and the class loader that defined them (another loader may hold another
     * version of the same class). Lets callers skip {@link #pack} for functions they registered already.
     */
    public static String key(RemoteFunction fn) {
        SerializedLambda sl = serializedLambda(fn);
        String loader =
                Integer.toHexString(System.identityHashCode(fn.getClass().getClassLoader()));
        if (sl == null) {
            return "instance@" + loader + ":" + fn.getClass().getName() + ":" + toJson(fn, "the function object")
                    + statics(instanceStatics(fn.getClass()));
        }
        StringBuilder k = new StringBuilder("lambda@")
                .append(loader)
                .append(':')
                .append(sl.getImplClass())
                .append('.')
                .append(sl.getImplMethodName())
                .append(sl.getImplMethodSignature())
                .append(':')
                .append(sl.getInstantiatedMethodType())
                .append(':')
                .append(sl.getImplMethodKind());
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            Object v = sl.getCapturedArg(i);
            k.append(':').append(v == null ? "null" : v.getClass().getName() + "=" + toJson(v, "a captured value"));
        }
        return k.append(statics(lambdaStatics(sl, fn.getClass().getClassLoader())))
                .toString();
    }

    public static PackedFunction pack(ShellFunction fn) {
        return shell(
                fn.name(),
                new ShellCommand(fn.cmd(), fn.walltimeS(), fn.snippetLines(), fn.stdout(), fn.stderr(), false),
                fn.returnDict());
    }

    public static PackedFunction pack(MPIFunction fn) {
        return shell(
                fn.name(),
                new ShellCommand(fn.cmd(), fn.walltimeS(), fn.snippetLines(), fn.stdout(), fn.stderr(), true),
                fn.returnDict());
    }

    private static PackedFunction shell(String name, ShellCommand cmd, boolean returnDict) {
        String key = "sh:" + name + ":" + returnDict + ":" + Json.write(cmd);
        return new PackedFunction(
                key,
                new FunctionRegistration(
                        name,
                        cmd.functionCode(),
                        cmd.cmd(),
                        new FunctionMeta(SDK_VERSION, Runtime.version().toString(), null, Strategy.SHELL.id())),
                ShellResult.class);
    }

    private PackedFunction lambda(RemoteFunction fn, SerializedLambda sl) {
        ClassLoader loader = fn.getClass().getClassLoader();
        List<JavaBundle.TypedValue> captured = new ArrayList<>();
        for (int i = 0; i < sl.getCapturedArgCount(); i++) {
            Object v = sl.getCapturedArg(i);
            captured.add(new JavaBundle.TypedValue(
                    v == null ? "java.lang.Object" : v.getClass().getName(),
                    toJson(v, "a value the function captures")));
        }
        JavaBundle.Lambda l = new JavaBundle.Lambda(
                sl.getCapturingClass(),
                sl.getFunctionalInterfaceClass(),
                sl.getFunctionalInterfaceMethodName(),
                sl.getFunctionalInterfaceMethodSignature(),
                sl.getImplMethodKind(),
                sl.getImplClass(),
                sl.getImplMethodName(),
                sl.getImplMethodSignature(),
                sl.getInstantiatedMethodType(),
                captured);
        List<JavaBundle.ClassFile> classes = closure(sl.getCapturingClass(), loader);
        String name = simpleName(sl.getImplClass()) + "." + sl.getImplMethodName();
        Class<?> resultType = MethodType.fromMethodDescriptorString(sl.getInstantiatedMethodType(), loader)
                .returnType();
        return packed(key(fn), name, new JavaBundle(classes, l, null, lambdaStatics(sl, loader)), resultType);
    }

    private PackedFunction instance(RemoteFunction fn) {
        Class<?> cls = fn.getClass();
        JsonNode state = toJson(fn, "the function object");
        List<JavaBundle.ClassFile> classes = closure(cls.getName().replace('.', '/'), cls.getClassLoader());
        Class<?> resultType = Object.class;
        for (Method m : cls.getMethods()) {
            if (m.getName().equals("apply") && !m.isBridge()) {
                resultType = m.getReturnType();
            }
        }
        JavaBundle.Instance in = new JavaBundle.Instance(cls.getName(), state);
        return packed(
                key(fn), cls.getSimpleName(), new JavaBundle(classes, null, in, instanceStatics(cls)), resultType);
    }

    private static List<JavaBundle.StaticValue> lambdaStatics(SerializedLambda sl, ClassLoader loader) {
        return StaticReads.values(sl.getImplClass(), sl.getImplMethodName(), sl.getImplMethodSignature(), loader);
    }

    private static List<JavaBundle.StaticValue> instanceStatics(Class<?> cls) {
        return StaticReads.values(cls.getName().replace('.', '/'), "apply", null, cls.getClassLoader());
    }

    private static String statics(List<JavaBundle.StaticValue> values) {
        return values.isEmpty() ? "" : ":statics=" + Json.write(values);
    }

    private List<JavaBundle.ClassFile> closure(String internalName, ClassLoader loader) {
        Map<String, List<JavaBundle.ClassFile>> byName;
        synchronized (closures) {
            byName = closures.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
        return byName.computeIfAbsent(internalName, c -> ClassClosure.of(c, loader));
    }

    private static PackedFunction packed(String key, String name, JavaBundle bundle, Class<?> resultType) {
        String code = Buffers.pack(List.of(Strategy.JAVA_BUNDLE.tag(Json.write(bundle))));
        return new PackedFunction(key, new FunctionRegistration(name, code, null, META), resultType);
    }

    private static SerializedLambda serializedLambda(Object fn) {
        if (!fn.getClass().isSynthetic() && !fn.getClass().isHidden()) {
            return null;
        }
        try {
            Method m = fn.getClass().getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            return m.invoke(fn) instanceof SerializedLambda sl ? sl : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "cannot ship lambda " + fn.getClass().getName() + ": " + e);
        }
    }

    private static JsonNode toJson(Object v, String what) {
        try {
            return Json.mapper().valueToTree(v);
        } catch (IllegalArgumentException e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    what + " (" + v.getClass().getName()
                            + ") cannot be sent as JSON: " + e.getMessage()
                            + ". Capture plain values (numbers, strings,"
                            + " records, lists) rather than objects such as 'this'.");
        }
    }

    private static String simpleName(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }
}
