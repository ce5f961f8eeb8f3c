package dev.gantry.endpoint.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code external_identity_mapping#1.0.0}: the administrator's program gets the identities as JSON on its
 * standard input and answers on its standard output with the local name of each it maps. A program that exits
 * non-zero, runs past its timeout or answers with something else maps nobody (and the manager's log says why).
 */
record External(List<String> command, Duration timeout) implements IdentityMapping.Rule {
    private static final Logger log = LoggerFactory.getLogger(External.class);
    private static final int MAX_OUTPUT = 1 << 20;

    record Input(@JsonProperty("DATA_TYPE") String dataType, List<Map<String, String>> identities) {}

    record Output(@JsonProperty("DATA_TYPE") String dataType, List<Mapped> result) {}

    record Mapped(String id, String output) {}

    External {
        command = List.copyOf(command);
    }

    @Override
    public Optional<String> map(List<FederatedIdentity> identities) {
        byte[] input = Json.writeBytes(new Input(
                "identity_mapping_input#1.0.0",
                identities.stream().map(FederatedIdentity::fields).toList()));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            }
            var reading = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> readBounded(p.getInputStream()),
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn(
                        "identity mapping program {} ran past {} s; it maps nobody",
                        command.get(0),
                        timeout.toSeconds());
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                log.warn("identity mapping program {} exited with {}; it maps nobody", command.get(0), p.exitValue());
                return Optional.empty();
            }
            Output o = Json.read(reading.get(timeout.toMillis(), TimeUnit.MILLISECONDS), Output.class);
            if (!"identity_mapping_output#1.0.0".equals(o.dataType()) || o.result() == null) {
                log.warn(
                        "identity mapping program {} answered without DATA_TYPE identity_mapping_output#1.0.0",
                        command.get(0));
                return Optional.empty();
            }
            for (FederatedIdentity id : identities) {
                for (Mapped m : o.result()) {
                    if (id.id().equals(m.id())
                            && m.output() != null
                            && !m.output().isEmpty()) {
                        return Optional.of(m.output());
                    }
                }
            }
            return Optional.empty();
        } catch (java.io.IOException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException
                | RuntimeException e) {
            log.warn("identity mapping program {} failed: {}", command.get(0), e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static byte[] readBounded(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                if (buf.size() + n > MAX_OUTPUT) {
                    throw new java.io.UncheckedIOException(
                            new java.io.IOException("more than " + MAX_OUTPUT + " bytes of output"));
                }
                buf.write(chunk, 0, n);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }
}
