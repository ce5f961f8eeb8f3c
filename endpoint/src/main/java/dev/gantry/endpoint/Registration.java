package dev.gantry.endpoint;

import dev.gantry.client.ApiException;
import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.Backoff;
import dev.gantry.protocol.api.EndpointMetadata;
import dev.gantry.protocol.api.EndpointRegistered;
import dev.gantry.protocol.api.EndpointRegistration;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registering an endpoint (or endpoint manager) with the service, as endpoints and managers both do: under the id
 * in {@code endpoint.json} if it has one, retrying with jittered backoff while the service cannot be reached.
 */
public final class Registration {
    private static final Logger log = LoggerFactory.getLogger(Registration.class);

    private Registration() {}

    /** Registers {@code body} for {@code dir} and saves the id; gives up when {@code open} turns false. */
    public static EndpointRegistered register(
            ServiceClient client, EndpointDir dir, EndpointRegistration body, BooleanSupplier open) {
        for (int attempt = 0; ; attempt++) {
            try {
                EndpointRegistered r = dir.endpointId()
                        .map(eid -> client.put("/v3/endpoints/" + eid, body, EndpointRegistered.class))
                        .orElseGet(() -> client.post("/v3/endpoints", body, EndpointRegistered.class));
                dir.saveEndpointId(r.endpointId());
                log.info("endpoint {} registered as {}", dir.name(), r.endpointId());
                return r;
            } catch (ApiException e) {
                if (!e.retryable() || !open.getAsBoolean()) {
                    throw e;
                }
                log.warn("cannot register yet ({}); trying again", e.getMessage());
                pause(attempt);
            }
        }
    }

    /** What an endpoint (not a manager) named {@code name} registers: its config's name, functions and engine. */
    public static EndpointRegistration endpoint(String name, EndpointConfig cfg, String engineType) {
        return new EndpointRegistration(
                name,
                cfg.displayName(),
                EndpointAgent.VERSION,
                false,
                false,
                metadata(engineType),
                false,
                cfg.allowedFunctions(),
                cfg.admins(),
                cfg.submitPolicy(),
                cfg.highAssurance());
    }

    /** What an endpoint says of its host. */
    public static EndpointMetadata metadata(String engineType) {
        java.util.Map<String, String> python = dev.gantry.worker.PythonInterpreter.describe();
        return new EndpointMetadata(
                hostname(),
                System.getProperty("user.name"),
                EndpointAgent.VERSION,
                engineType,
                null,
                python.get("python_version"),
                python.get("dill_version"),
                python.get("os"));
    }

    private static final Backoff RECONNECT = new Backoff(500, 10_000, true);

    /** Waits before attempt {@code attempt + 1}: up to 0.5 s doubling to 10 s, jittered by half. */
    public static void pause(int attempt) {
        try {
            Thread.sleep(RECONNECT.delayMs(attempt + 1, ThreadLocalRandom.current()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
