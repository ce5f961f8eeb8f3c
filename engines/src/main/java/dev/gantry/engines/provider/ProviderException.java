package dev.gantry.engines.provider;

/** A scheduler refused or failed a command; the message is the scheduler's own words, for the affected tasks. */
public final class ProviderException extends Exception {
    public ProviderException(String message) {
        super(message);
    }

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }
}
