package dev.gantry.sdk;

/** What a {@link ShellFunction} returns: the last lines of its output and its return code. */
public record ShellResult(String cmd, String stdout, String stderr, int returncode, String exceptionName) {}
