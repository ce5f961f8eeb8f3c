package dev.gantry.endpoint.manager;

/**
 * A start step said no. {@code getMessage()} goes back to the submitter; {@code detail} (paths, commands, the
 * account database's words) only to the administrator's log.
 */
public final class StartRefused extends RuntimeException {
    private final String detail;

    public StartRefused(String message, String detail) {
        super(message, null, false, false);
        this.detail = detail;
    }

    public StartRefused(String message) {
        this(message, message);
    }

    public String detail() {
        return detail;
    }
}
