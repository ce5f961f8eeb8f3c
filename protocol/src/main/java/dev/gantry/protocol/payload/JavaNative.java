package dev.gantry.protocol.payload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Base64;

/**
 * Java native serialization ({@link Strategy#JAVA_NATIVE}) for the values JSON cannot carry, used only where
 * both ends opted in. Decoding resolves classes through one given class loader (a function's own, on a
 * worker) and is bounded by a filter: graph depth, references, array length and stream size.
 */
public final class JavaNative {
    public static final long MAX_BYTES = 10L * 1024 * 1024;
    private static final ObjectInputFilter LIMITS = ObjectInputFilter.Config.createFilter(
            "maxdepth=64;maxrefs=1000000;maxarray=10000000;maxbytes=" + MAX_BYTES);

    private JavaNative() {}

    /** Base64 of the object's serialized form; fails clearly if something in it is not serializable. */
    public static String encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException("a value is not Serializable: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialize a value: " + e.getMessage(), e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /** The object serialized in {@code base64}, its classes loaded by {@code loader}. */
    public static Object decode(String base64, ClassLoader loader) throws IOException, ClassNotFoundException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidClassException("a java_native buffer is not base64");
        }
        try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes), loader)) {
            in.setObjectInputFilter(LIMITS);
            return in.readObject();
        }
    }

    private static final class LoaderInput extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderInput(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            return Class.forName(desc.getName(), false, loader);
        }
    }
}
