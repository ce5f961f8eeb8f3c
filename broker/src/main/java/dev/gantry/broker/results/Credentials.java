package dev.gantry.broker.results;

/** Keeps one broker user per identity, allowed to read its result queues and nothing else. */
public interface Credentials {
    /**
     * Creates {@code user}, or gives it a new password, allowed only to consume from queues whose names start
     * with {@code queuePrefix}; returns the password.
     */
    String issue(String user, String queuePrefix);

    /** Deletes {@code user}, if there is one. */
    void revoke(String user);
}
