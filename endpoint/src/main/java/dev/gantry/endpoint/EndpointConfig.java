package dev.gantry.endpoint;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.gantry.engines.EngineConfig;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Yaml;
import dev.gantry.protocol.api.EndpointRegistration;
import dev.gantry.protocol.api.SubmitPolicy;
import dev.gantry.protocol.payload.Strategy;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An endpoint's {@code config.yaml}. Unknown keys are errors that name their YAML path.
 *
 * @param heartbeatPeriod seconds between status reports; the service shows the endpoint offline after two
 * @param serviceUrl the service to dial; when absent, the one in the local credentials
 * @param serviceUrls several instances of one service, tried in turn when one cannot be reached
 * @param allowedSerializers the function strategies this endpoint runs (names such as {@code java_bundle},
 *     {@code java_source}, {@code python_source}, {@code shell}, or their ids), and {@code java_native} to
 *     decode arguments in Java native serialization; absent: every function kind, JSON arguments only
 * @param allowedFunctions the only functions this endpoint runs (absent: any); the service refuses others at
 *     submit, and the endpoint refuses them again (a user endpoint's list is its manager's when the manager has one)
 * @param endpointSetup shell commands run in the endpoint's directory before it starts; failing, they stop it
 * @param endpointTeardown shell commands run there when it stops (see {@link EndpointHooks})
 * @param python the interpreter of its Python functions (a command or path, e.g. a conda environment's
 *     {@code bin/python}); absent, the first {@code python3} that can import dill (see {@code PythonInterpreter})
 * @param admins identities (ids or usernames) that may see, watch and lock this endpoint besides its owner
 * @param submitPolicy who may submit: identity domains allowed and excluded, a maximum login age
 * @param highAssurance registers a high-assurance endpoint: it runs only functions pinned to it, its results are
 *     never pushed to watchers, and it stays one (registering it again without the flag is refused)
 * @param auditLogPath a high-assurance endpoint's audit log (absent: {@code audit.log} in its directory), as
 *     Globus Compute's {@code audit_log_path}
 */
public record EndpointConfig(
        String displayName,
        EngineConfig engine,
        double heartbeatPeriod,
        String serviceUrl,
        Integer prefetch,
        java.util.List<String> serviceUrls,
        java.util.List<String> allowedSerializers,
        Integer idleHeartbeatsSoft,
        Integer idleHeartbeatsHard,
        java.util.List<FunctionId> allowedFunctions,
        String endpointSetup,
        String endpointTeardown,
        String python,
        java.util.List<String> admins,
        SubmitPolicy submitPolicy,
        boolean highAssurance,
        String auditLogPath) {
    public static final double DEFAULT_HEARTBEAT = 30;

    public EndpointConfig {
        if (engine == null) {
            engine = new EngineConfig.Thread(0);
        }
        if (heartbeatPeriod == 0) {
            heartbeatPeriod = DEFAULT_HEARTBEAT;
        }
        if (heartbeatPeriod < 0.2 || heartbeatPeriod > 3600) {
            throw invalid("heartbeat_period must be between 0.2 and 3600 seconds, got " + heartbeatPeriod);
        }
        if (prefetch != null && (prefetch < 1 || prefetch > 100_000)) {
            throw invalid("prefetch must be between 1 and 100000, got " + prefetch);
        }
        serviceUrls = serviceUrls == null ? java.util.List.of() : java.util.List.copyOf(serviceUrls);
        if (idleHeartbeatsSoft != null && idleHeartbeatsSoft < 0) {
            throw invalid("idle_heartbeats_soft must be 0 or more, got " + idleHeartbeatsSoft);
        }
        if (idleHeartbeatsHard != null
                && idleHeartbeatsSoft != null
                && idleHeartbeatsSoft > 0
                && idleHeartbeatsHard <= idleHeartbeatsSoft) {
            throw invalid("idle_heartbeats_hard must be more than idle_heartbeats_soft");
        }
        if (allowedSerializers != null) {
            SerializerAllowlist.parse(allowedSerializers);
            allowedSerializers = java.util.List.copyOf(allowedSerializers);
        }
        if (python != null && (python.isBlank() || python.length() > 4096)) {
            throw invalid("python must name an interpreter (a command or a path), got '" + python + "'");
        }
        allowedFunctions = EndpointRegistration.allowedFunctions(allowedFunctions);
        admins = EndpointRegistration.admins(admins);
        if (auditLogPath != null && (auditLogPath.isBlank() || auditLogPath.length() > 4096)) {
            throw invalid("audit_log_path must name a file, got '" + auditLogPath + "'");
        }
    }

    /** Where a high-assurance endpoint in {@code dir} writes its audit log. */
    public Path auditLog(EndpointDir dir) {
        return auditLogPath == null ? dir.auditLog() : Path.of(auditLogPath);
    }

    public EndpointConfig(String displayName, EngineConfig engine, double heartbeatPeriod) {
        this(
                displayName,
                engine,
                heartbeatPeriod,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                false,
                null);
    }

    /** This configuration with {@code ids} as its allowed functions. */
    public EndpointConfig withAllowedFunctions(java.util.List<FunctionId> ids) {
        return copy(ids, highAssurance);
    }

    /** This configuration, high-assurance (a high-assurance manager's user endpoint's, whatever it rendered). */
    public EndpointConfig withHighAssurance() {
        return copy(allowedFunctions, true);
    }

    private EndpointConfig copy(java.util.List<FunctionId> ids, boolean ha) {
        return new EndpointConfig(
                displayName,
                engine,
                heartbeatPeriod,
                serviceUrl,
                prefetch,
                serviceUrls,
                allowedSerializers,
                idleHeartbeatsSoft,
                idleHeartbeatsHard,
                ids,
                endpointSetup,
                endpointTeardown,
                python,
                admins,
                submitPolicy,
                ha,
                auditLogPath);
    }

    public int idleSoft() {
        return idleHeartbeatsSoft == null ? 0 : idleHeartbeatsSoft;
    }

    public int idleHard() {
        return idleHeartbeatsHard == null ? 5760 : idleHeartbeatsHard;
    }

    /** The strategies this endpoint decodes ({@link SerializerAllowlist}). */
    public java.util.Set<Strategy> allowedStrategies() {
        return SerializerAllowlist.parse(allowedSerializers);
    }

    /** The service URLs to dial, in order of preference; empty means the local credentials' one. */
    public java.util.List<String> urls() {
        if (!serviceUrls.isEmpty()) {
            return serviceUrls;
        }
        return serviceUrl == null ? java.util.List.of() : java.util.List.of(serviceUrl);
    }

    /** How many tasks the endpoint takes ahead of its workers: the credit it gives the service. */
    public int credit() {
        return prefetch != null ? prefetch : Math.max(256, engine.maxWorkers() * 64);
    }

    public int heartbeatPeriodMs() {
        return (int) Math.round(heartbeatPeriod * 1000);
    }

    public static EndpointConfig read(Path file) {
        try {
            return parse(Yaml.bytes(file), file.toString());
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Parses a configuration's YAML; errors name {@code where} and the YAML path. */
    public static EndpointConfig parse(byte[] yaml, String where) {
        try {
            EndpointConfig c = Yaml.mapper().readValue(yaml, EndpointConfig.class);
            if (c == null) {
                throw invalid(where + " is empty");
            }
            return c;
        } catch (JsonMappingException e) {
            throw mappingError(where, e);
        } catch (IOException e) {
            throw invalid(where + " is not valid YAML: " + e.getMessage());
        }
    }

    /** A config file's mapping error as one message: the file, the YAML path of the bad key, and why. */
    public static GantryException mappingError(String where, JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.append(
                    r.getFieldName() != null
                            ? (path.length() == 0 ? "" : ".") + r.getFieldName()
                            : "[" + r.getIndex() + "]");
        }
        String cause = e.getCause() instanceof GantryException g ? g.getMessage() : e.getOriginalMessage();
        return invalid(where + ": " + (path.length() == 0 ? "" : "at " + path + ": ") + cause);
    }

    /** The text {@code configure} writes: every key with its default and a comment. */
    public static String template(String engineType, int maxWorkers) {
        if (engineType.equals("pilot")) {
            return COMMON + PILOT.formatted(maxWorkers);
        }
        return COMMON + """
                engine:
                  # thread: tasks run in the endpoint's JVM; process: in worker JVMs on this host.
                  type: %s
                  # 0 means one per core.
                  max_workers: %d
                  # Runs of a task after its worker or this endpoint was lost, unless its submit says otherwise.
                  max_retries_on_system_failure: 2
                """.formatted(engineType, maxWorkers);
    }

    private static final String PILOT = """
            engine:
              # pilot: blocks from a batch scheduler run one manager per node, which runs the workers.
              type: pilot
              # 0 means one per core of the node; fewer if cores_per_worker or mem_per_worker (GiB) say so.
              max_workers_per_node: %d
              cores_per_worker: 1
              # Tasks a manager takes beyond its workers.
              prefetch_capacity: 0
              heartbeat_period: 30
              heartbeat_threshold: 120
              max_retries_on_system_failure: 2
              # Blocks: how many at start, at least, at most; nodes each; the share of outstanding tasks that
              # should have a worker (1 = all); seconds idle before giving blocks back down to min_blocks.
              init_blocks: 0
              min_blocks: 0
              max_blocks: 1
              nodes_per_block: 1
              parallelism: 1
              max_idletime: 120
              # Where managers connect back to: an address of this host that the compute nodes reach.
              address: 127.0.0.1
              # Where tasks run on the nodes, relative to this directory (default: tasks_working_dir).
              # working_dir: /scratch/me/gantry-tasks
              # local: blocks are processes on this host. See docs/endpoint-configs/ for slurm, pbspro, kubernetes.
              provider:
                type: local
                # worker_init: module load java/21
            """;

    private static final String COMMON = """
                # Gantry endpoint configuration (the keys follow Globus Compute's where they exist).
                display_name: null
                # Seconds between status reports; the service shows the endpoint offline after two missed ones.
                heartbeat_period: 30
                # The service to dial; by default the one in ~/.gantry/credentials.json. Several instances of one
                # service: service_urls: [http://host-a:8740, http://host-b:8740] (tried in turn).
                # service_url: http://127.0.0.1:8740
                # The serializations this endpoint decodes (all but java_native when absent): Gantry's kinds
                # java_bundle (Java lambdas and objects), java_source, shell, and Globus Compute's strategies by
                # import path (globus_compute_sdk.serialize.DillCode, ...JSONData) or as
                # globus_compute_sdk.*Code / globus_compute_sdk.*Data. JSON arguments always pass; add
                # java_native to decode Java native serialization (only for trusted submitters).
                # allowed_serializers: [java_bundle, shell, globus_compute_sdk.*Code, globus_compute_sdk.*Data]
                # The Python that runs Python functions; by default the first python3 that can import dill.
                # python: /opt/conda/envs/science/bin/python
                # The only functions this endpoint runs (all when absent), by id; the service refuses the others
                # with 403 FUNCTION_NOT_PERMITTED and the endpoint refuses them again.
                # allowed_functions: [00000000-0000-0000-0000-000000000000]
                # Shell commands run in this directory before the endpoint starts (a failure stops the start)
                # and when it stops.
                # endpoint_setup: module load java/21
                # endpoint_teardown: rm -rf scratch
                """;

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
