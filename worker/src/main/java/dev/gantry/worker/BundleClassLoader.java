package dev.gantry.worker;

import java.util.Map;

/**
 * A function's own class loader: its shipped classes first (so two functions may bring different versions
 * of one class), everything else from the worker's loader (the JDK, the protocol, Jackson).
 */
final class BundleClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    BundleClassLoader(String name, Map<String, byte[]> classes, ClassLoader parent) {
        super(name, parent);
        this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] bytes = classes.get(name);
                c = bytes != null
                        ? defineClass(name, bytes, 0, bytes.length)
                        : getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }
}
