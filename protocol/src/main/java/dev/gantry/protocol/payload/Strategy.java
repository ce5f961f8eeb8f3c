package dev.gantry.protocol.payload;

/**
 * Serialization strategies by their 2-character identifiers. {@code 11} and {@code st} are Globus Compute's
 * (JSON data, Python source); {@code jb}, {@code js}, {@code sh} and {@code jn} are Gantry's. Globus Compute's pickle- and dill-based
 * strategies are listed only to be refused by name: Gantry never decodes them.
 */
public enum Strategy {
    /** JSON data (Globus Compute's JSONData). */
    JSON("11"),
    /** Python source text, {@code name:source} (Globus Compute's PureSourceTextInspect). */
    PYTHON_SOURCE("st"),
    /** A Java function with the class files it needs ({@link JavaBundle} as JSON). */
    JAVA_BUNDLE("jb"),
    /** A shell command ({@link ShellCommand} as JSON). */
    SHELL("sh"),
    /** Java source compiled on the endpoint ({@link JavaSource} as JSON). */
    JAVA_SOURCE("js"),
    /**
     * Java native serialization of arguments and results ({@link JavaNative}, base64): for values JSON cannot
     * carry. Off by default at both ends: an endpoint decodes it only if its {@code allowed_serializers} lists
     * {@code java_native}, an SDK only if its executor was built with it.
     */
    JAVA_NATIVE("jn"),
    /** Globus Compute's other strategies: known by name so that refusals say what was sent; never decoded. */
    DILL_DATA_BASE64("00"),
    DILL_CODE("01"),
    PICKLE_CODE("02"),
    DILL_CODE_TEXT_INSPECT("03"),
    DILL_CODE_SOURCE("04"),
    COMBINED_CODE("10"),
    ALL_CODE_STRATEGIES("12"),
    ALL_DATA_STRATEGIES("13"),
    PURE_SOURCE_DILL("sd");

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** {@code id + "\n" + body}: one serialized buffer. */
    public String tag(String body) {
        return id + "\n" + body;
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
