package dev.gantry.sdk.internal;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.payload.JavaBundle;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The class files a function needs: starting from one class, every class named in the constant pools
 * (class entries and type descriptors), transitively, except the JDK's and those every worker has (the
 * protocol and Jackson). Bounded so that a function defined inside a large class fails clearly.
 */
final class ClassClosure {
    static final int MAX_CLASSES = 4000;
    static final long MAX_BYTES = 6L * 1024 * 1024;
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+);");
    private static final List<String> PROVIDED =
            List.of("java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/gantry/protocol/", "com/fasterxml/jackson/");

    private ClassClosure() {}

    static List<JavaBundle.ClassFile> of(String rootInternalName, ClassLoader loader) {
        Map<String, byte[]> found = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(rootInternalName));
        long bytes = 0;
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (found.containsKey(name) || provided(name)) {
                continue;
            }
            byte[] cls = read(name, loader);
            if (cls == null) {
                continue;
            }
            found.put(name, cls);
            bytes += cls.length;
            if (found.size() > MAX_CLASSES || bytes > MAX_BYTES) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "the function defined in "
                                + rootInternalName.replace('/', '.') + " needs more than " + MAX_CLASSES
                                + " classes or "
                                + MAX_BYTES + " bytes of class files; define it in a small class of its own");
            }
            for (String ref : references(cls)) {
                if (!found.containsKey(ref)) {
                    todo.add(ref);
                }
            }
        }
        List<JavaBundle.ClassFile> out = new ArrayList<>();
        found.forEach((n, b) -> out.add(new JavaBundle.ClassFile(
                n.replace('/', '.'), sha256(b), Base64.getEncoder().encodeToString(b))));
        return out;
    }

    static boolean provided(String internalName) {
        for (String p : PROVIDED) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static byte[] read(String internalName, ClassLoader loader) {
        URL url = loader.getResource(internalName + ".class");
        if (url == null || url.getProtocol().equals("jrt")) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new GantryException(ApiError.INTERNAL_ERROR, "cannot read class file " + url, e);
        }
    }

    /** Class names (internal form) mentioned by a class file's constant pool. */
    static Set<String> references(byte[] classFile) {
        Set<String> out = new java.util.HashSet<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> collect(in.readUTF(), out);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new GantryException(ApiError.INTERNAL_ERROR, "cannot parse a class file: " + e.getMessage(), e);
        }
        return out;
    }

    /** A UTF-8 constant may be a class name ({@code a/b/C}) or hold descriptors ({@code (La/b/C;)V}). */
    private static void collect(String utf8, Set<String> out) {
        if (utf8.indexOf(';') >= 0) {
            Matcher m = DESCRIPTOR_CLASS.matcher(utf8);
            while (m.find()) {
                out.add(m.group(1));
            }
        } else if (utf8.indexOf('/') > 0 && utf8.indexOf(' ') < 0 && utf8.indexOf('.') < 0) {
            out.add(utf8.startsWith("[") ? utf8.replaceAll("^\\[+L?", "") : utf8);
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
