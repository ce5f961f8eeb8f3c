package dev.gantry.sdk;

/**
 * What a submit says of the submitting SDK ({@code user_runtime}): a multi-user endpoint's template can pick a
 * matching runtime with it, and its user endpoints get {@code GANTRY_USER_JAVA_VERSION} and
 * {@code GANTRY_USER_SDK_VERSION}. A different runtime gets a user endpoint of its own.
 */
public record UserRuntime(String javaVersion, int javaMajor, String sdkVersion, Platform platform) {
    public static final String SDK_VERSION = "0.1.0";

    /** The operating system and machine. */
    public record Platform(String os, String osVersion, String arch) {}

    public static UserRuntime current() {
        return new UserRuntime(
                System.getProperty("java.version"),
                Runtime.version().feature(),
                SDK_VERSION,
                new Platform(
                        System.getProperty("os.name"),
                        System.getProperty("os.version"),
                        System.getProperty("os.arch")));
    }
}
