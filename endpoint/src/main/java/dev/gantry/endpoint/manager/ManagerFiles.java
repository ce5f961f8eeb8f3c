package dev.gantry.endpoint.manager;

import dev.gantry.endpoint.EndpointDir;
import dev.gantry.protocol.GantryHome;

/**
 * What {@code gantry endpoint configure NAME --manager} writes: the manager's {@code config.yaml}, the default
 * user endpoint template and its schema, an empty {@code user_environment.yaml}, and an example identity
 * mapping (a root manager maps nobody until the administrator writes {@code identity_mapping.json}).
 */
public final class ManagerFiles {
    private ManagerFiles() {}

    public static void write(EndpointDir d, boolean multiUser) {
        GantryHome.writePrivate(d.config(), CONFIG.formatted(multiUser ? "true" : "false"));
        GantryHome.writePrivate(d.dir().resolve(ManagerConfig.TEMPLATE), TEMPLATE);
        GantryHome.writePrivate(d.dir().resolve(ManagerConfig.SCHEMA), SCHEMA);
        GantryHome.writePrivate(d.dir().resolve(ManagerConfig.ENVIRONMENT), ENVIRONMENT);
        GantryHome.writePrivate(d.dir().resolve("example_identity_mapping_config.json"), EXAMPLE_MAPPING);
    }

    static final String CONFIG = """
            # Gantry endpoint manager: it runs no tasks itself, but starts a user endpoint for each submitter (each
            # identity, user_endpoint_config and runtime) from user_config_template.yaml.j2. Run as root, it maps
            # each submitter's identity to a local account (identity_mapping.json) and starts the user endpoint as
            # that account; run as anyone else, it serves its owner only.
            display_name: null
            # Listed for others to find (never a grant of access).
            public: %s
            heartbeat_period: 30
            # service_url: http://127.0.0.1:8740
            # identity_mapping_config_path: identity_mapping.json   (see example_identity_mapping_config.json)
            # user_config_template_path: user_config_template.yaml.j2
            # user_config_schema_path: user_config_schema.json
            # user_environment_path: user_environment.yaml
            # The only functions user endpoints run, by id (all when absent): the service refuses the others with
            # 403 FUNCTION_NOT_PERMITTED before starting anything, and this list replaces any a template sets.
            # allowed_functions: [00000000-0000-0000-0000-000000000000]
            # High assurance (fixed once registered): user endpoints run only functions pinned to this endpoint,
            # results are never pushed, and this manager keeps an owner-only audit log of every task event.
            # high_assurance: true
            # audit_log_path: audit.log
            # Seconds a start request for a user endpoint that is stopping is kept, to start it again after.
            mu_child_ep_grace_period_s: 30
            # Seconds a user endpoint may take to render its config and start.
            start_timeout_s: 30
            # The JVM of user endpoints (defaults: this manager's java and classpath; every user must read them).
            # user_endpoint_java: /usr/lib/jvm/java-21/bin/java
            # user_endpoint_classpath: /opt/gantry/lib/*
            # user_endpoint_jvm_options: [-Xmx512m]
            # User endpoints keep the classes they loaded in ~/.gantry/cds/ (a JDK class archive of the account's
            # own) and start about a third faster the next time.
            user_endpoint_class_archive: true
            """;

    static final String TEMPLATE = """
            # Rendered for each user endpoint, as its user. Values from the submitter's user_endpoint_config are
            # variables here; their strings arrive JSON-quoted, so each stays one YAML value. Also available:
            # parent_config.*, user_runtime.java_version / java_major / sdk_version / platform, and
            # mapped_identity.local.uname / uid / gid / groups / gids / gecos / shell / dir, mapped_identity.id.
            heartbeat_period: 30
            # Stop after 10 quiet heartbeats with nothing outstanding, or 5760 with nothing moving.
            idle_heartbeats_soft: 10
            idle_heartbeats_hard: 5760
            engine:
              type: process
              max_workers: {{ max_workers|default(2) }}
              max_retries_on_system_failure: 2
            """;

    static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "max_workers": {"type": "integer", "minimum": 1, "maximum": 256}
              },
              "additionalProperties": false
            }
            """;

    static final String ENVIRONMENT = """
            # NAME: value pairs every user endpoint, its workers and its tasks get (HOME, USER and PWD are the
            # account's own). For example:
            # SCRATCH: /scratch
            """;

    static final String EXAMPLE_MAPPING = """
            [
              {
                "DATA_TYPE": "expression_identity_mapping#1.0.0",
                "mappings": [
                  {"source": "{username}", "match": "(.*)@example\\\\.org", "output": "{0}"}
                ]
              }
            ]
            """;
}
