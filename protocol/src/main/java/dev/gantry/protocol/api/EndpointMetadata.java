package dev.gantry.protocol.api;

/**
 * What an endpoint says of its host at registration, and of the Python its workers run (version, dill's
 * version, the OS: what Globus Compute's SDK compares with its own to warn of a mismatch; null where there is
 * no Python that imports dill).
 */
public record EndpointMetadata(
        String hostname,
        String localUser,
        String endpointVersion,
        String engineType,
        String endpointConfig,
        String pythonVersion,
        String dillVersion,
        String os) {

    public EndpointMetadata(
            String hostname, String localUser, String endpointVersion, String engineType, String endpointConfig) {
        this(hostname, localUser, endpointVersion, engineType, endpointConfig, null, null, null);
    }
}
