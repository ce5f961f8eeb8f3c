package dev.gantry.protocol.payload;

/** What a shell function returns (Globus Compute's ShellResult): a non-zero exit is a result, not a failure. */
public record ShellOutcome(String cmd, String stdout, String stderr, int returncode, String exceptionName) {}
