package dev.gantry.engines.provider;

/** Quoting for the job scripts providers write. */
public final class Shell {
    private Shell() {}

    /** {@code s} as one single-quoted shell word. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
