package dev.gantry.protocol.payload;

/**
 * Serialization strategies by their 2-character identifiers. {@code jb}, {@code js}, {@code sh} and {@code jn}
 * are Gantry's; the others are Globus Compute's. Java never decodes its dill- and pickle-based ones: an
 * endpoint's Python worker does, for functions in any of its code strategies, if the endpoint's
 * {@code allowed_serializers} let them through.
 */
public enum Strategy {
    /** JSON data (Globus Compute's JSONData). */
    JSON("11", "JSONData", false),
    /** Python source text, {@code name:source} (Globus Compute's PureSourceTextInspect). */
    PYTHON_SOURCE("st", "PureSourceTextInspect", true),
    /** A Java function with the class files it needs ({@link JavaBundle} as JSON). */
    JAVA_BUNDLE("jb", null, true),
    /** A shell command ({@link ShellCommand} as JSON). */
    SHELL("sh", null, true),
    /** Java source compiled on the endpoint ({@link JavaSource} as JSON). */
    JAVA_SOURCE("js", null, true),
    /**
     * Java native serialization of arguments and results ({@link JavaNative}, base64): for values JSON cannot
     * carry. Off by default at both ends: an endpoint decodes it only if its {@code allowed_serializers} lists
     * {@code java_native}, an SDK only if its executor was built with it.
     */
    JAVA_NATIVE("jn", null, false),
    /** Globus Compute's other strategies: decoded by the Python worker alone. */
    DILL_DATA_BASE64("00", "DillDataBase64", false),
    DILL_CODE("01", "DillCode", true),
    PICKLE_CODE("02", "PickleCode", true),
    DILL_CODE_TEXT_INSPECT("03", "DillCodeTextInspect", true),
    DILL_CODE_SOURCE("04", "DillCodeSource", true),
    COMBINED_CODE("10", "CombinedCode", true),
    ALL_CODE_STRATEGIES("12", "AllCodeStrategies", true),
    ALL_DATA_STRATEGIES("13", "AllDataStrategies", false),
    PURE_SOURCE_DILL("sd", "PureSourceDill", true);

    private final String id;
    private final String className;
    private final boolean forCode;

    Strategy(String id, String className, boolean forCode) {
        this.id = id;
        this.className = className;
        this.forCode = forCode;
    }

    public String id() {
        return id;
    }

    /** Globus Compute's class name for this strategy ({@code JSONData}, {@code DillCode}...); null for Gantry's. */
    public String className() {
        return className;
    }

    /** True for a strategy of functions, false for one of data (arguments, results). */
    public boolean forCode() {
        return forCode;
    }

    /** {@code id + "\n" + body}: one serialized buffer. */
    public String tag(String body) {
        return id + "\n" + body;
    }

    /**
     * The Globus Compute strategy an import path names, as its SDK writes it
     * ({@code globus_compute_sdk.serialize.concretes.JSONData}) or its documentation does
     * ({@code globus_compute_sdk.serialize.JSONData}); null if it names none.
     */
    public static Strategy byImportPath(String path) {
        for (String p : new String[] {"globus_compute_sdk.serialize.", "globus_compute_sdk.serialize.concretes."}) {
            if (path != null && path.startsWith(p)) {
                String name = path.substring(p.length());
                for (Strategy s : values()) {
                    if (name.equals(s.className)) {
                        return s;
                    }
                }
            }
        }
        return null;
    }

    public static Strategy of(String id) {
        for (Strategy s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw Buffers.malformed("unknown serialization strategy '" + id + "'");
    }
}
