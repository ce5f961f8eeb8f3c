package dev.gantry.worker;

import dev.gantry.protocol.payload.JavaSource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Java source functions: compiled in memory with the JDK's compiler (once per distinct source, cached by
 * its sha-256), loaded in their own class loader, called through their public static entry method.
 */
final class JavaSourceFunctions {
    private static final Map<String, Map<String, byte[]>> COMPILED = new ConcurrentHashMap<>();

    private JavaSourceFunctions() {}

    /** The source did not compile; the message is the compiler's diagnostics. */
    static final class CompileError extends RuntimeException {
        CompileError(String diagnostics) {
            super(diagnostics);
        }
    }

    static Invocable load(JavaSource js) throws ReflectiveOperationException {
        Map<String, byte[]> classes = COMPILED.computeIfAbsent(sha256(js.source()), h -> compile(js));
        ClassLoader loader = new BundleClassLoader(
                "gantry-src-" + js.className(), classes, JavaSourceFunctions.class.getClassLoader());
        Class<?> cls = Class.forName(js.className(), true, loader);
        Method target = null;
        for (Method m : cls.getMethods()) {
            if (m.getName().equals(js.methodName()) && Modifier.isStatic(m.getModifiers())) {
                if (target != null) {
                    throw new NoSuchMethodException(
                            js.entryPoint() + " is overloaded; give the entry point one method");
                }
                target = m;
            }
        }
        if (target == null) {
            throw new NoSuchMethodException("no public static method " + js.entryPoint());
        }
        return JavaFunctions.caller(null, target, target.getParameterTypes());
    }

    private static Map<String, byte[]> compile(JavaSource js) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new CompileError("this worker runs on a Java runtime without a compiler; run it on a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        StandardJavaFileManager std = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        JavaFileManager files = new ForwardingJavaFileManager<>(std) {
            @Override
            public JavaFileObject getJavaFileForOutput(
                    Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(
                        URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return out.computeIfAbsent(className, c -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        String file = js.className().substring(js.className().lastIndexOf('.') + 1) + ".java";
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + file), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return js.source();
            }
        };
        List<String> options = List.of("-proc:none", "-classpath", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(unit))
                .call();
        if (!ok) {
            throw new CompileError(diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> file + ":" + d.getLineNumber() + ": error: " + d.getMessage(null))
                    .collect(Collectors.joining("\n")));
        }
        Map<String, byte[]> classes = new HashMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
