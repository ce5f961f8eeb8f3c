package dev.gantry.endpoint.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserConfigTemplateTest {
    static final LocalUser ALICE = new LocalUser(
            "alice",
            1001,
            1001,
            List.of(1001, 2000),
            List.of("alice", "gpu-users"),
            "Alice",
            "/bin/bash",
            "/home/alice");
    static final LocalUser BOB =
            new LocalUser("bob", 1002, 1002, List.of(1002), List.of("bob"), "", "/bin/sh", "/home/bob");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static TemplateInputs inputs(String optionsJson, LocalUser user) {
        return new TemplateInputs(
                optionsJson == null ? null : Json.read(optionsJson, JsonNode.class),
                Json.read(
                        "{\"java_version\": \"21.0.5\", \"java_major\": 21, \"sdk_version\": \"0.1.0\"}",
                        JsonNode.class),
                user,
                "5e1f0000-0000-4000-8000-000000000001",
                Map.of("display_name", "site"));
    }

    static JsonNode render(String template, String optionsJson) throws Exception {
        return YAML.readTree(new UserConfigTemplate(template, null, null).render(inputs(optionsJson, ALICE)));
    }

    @Test
    void userStringsRenderAsOneQuotedScalarAndNumbersAsThemselves() throws Exception {
        JsonNode out = render(
                "worker_init: {{ worker_init }}\nengine:\n  max_workers: {{ workers }}\n",
                "{\"worker_init\": \"module load java/21\", \"workers\": 3}");
        assertThat(out.get("worker_init").asText()).isEqualTo("module load java/21");
        assertThat(out.get("engine").get("max_workers").isInt()).isTrue();
        assertThat(out.get("engine").get("max_workers").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{{ 7*7 }}",
                "x\nallowed_serializers: [java_native]",
                "'; rm -rf / #",
                "{{ ''.__class__.__mro__ }}",
                "{% include '/etc/passwd' %}",
                "\"}\nengine: {type: thread}",
                "a: b: c"
            })
    void injectionStringsAreInertAndCannotOverrideAdminFixedKeys(String attack) throws Exception {
        String template = "allowed_serializers: [shell]\nworker_init: {{ worker_init }}\nengine:\n  type: process\n";
        JsonNode out = render(template, Json.write(Map.of("worker_init", attack)));
        assertThat(out.get("worker_init").asText()).isEqualTo(attack);
        assertThat(out.get("allowed_serializers")).hasSize(1);
        assertThat(out.get("allowed_serializers").get(0).asText()).isEqualTo("shell");
        assertThat(out.get("engine").get("type").asText()).isEqualTo("process");
        assertThat(out.size()).isEqualTo(3);
    }

    @Test
    void nestedUserValuesAreInertToo() throws Exception {
        JsonNode out = render(
                "a: {{ opts.x }}\nb: {{ opts.list[0] }}\nc: {{ nothing }}\n",
                "{\"opts\": {\"x\": \"{{ 7*7 }}\", \"list\": [\"y\\nz: 1\"]}, \"nothing\": null}");
        assertThat(out.get("a").asText()).isEqualTo("{{ 7*7 }}");
        assertThat(out.get("b").asText()).isEqualTo("y\nz: 1");
        assertThat(out.get("c").asText()).isEqualTo("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"parent_config", "user_runtime", "mapped_identity", "_GC"})
    void reservedNamesAreRefused(String name) {
        assertThatThrownBy(() -> render("a: 1\n", "{\"" + name + "\": \"x\"}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("'" + name + "'")
                .hasMessageContaining("reserved");
    }

    @Test
    void anUndefinedVariableIsAnErrorButDefaultStillWorks() throws Exception {
        assertThatThrownBy(() -> render("worker_init: {{ worker_init }}\n", "{}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("cannot be rendered")
                .hasMessageContaining("worker_init");
        JsonNode out = render("worker_init: {{ worker_init|default('true') }}\n", "{}");
        assertThat(out.get("worker_init").asText()).isEqualTo("true");
    }

    @Test
    void reservedVariablesDescribeTheMappedUserAndTheRuntime() throws Exception {
        String template = """
                {% if 'gpu-users' in mapped_identity.local.groups %}
                partition: gpu
                {% else %}
                partition: cpu
                {% endif %}
                account: {{ mapped_identity.local.uname }}
                uid: {{ _GC.mapped_identity.local.uid }}
                home: {{ mapped_identity.local.dir }}
                who: {{ mapped_identity.id }}
                java: {{ user_runtime.java_version }}
                modern: {{ user_runtime.java_major >= 21 }}
                site: {{ parent_config.display_name }}
                """;
        JsonNode alice = YAML.readTree(new UserConfigTemplate(template, null, null).render(inputs("{}", ALICE)));
        JsonNode bob = YAML.readTree(new UserConfigTemplate(template, null, null).render(inputs("{}", BOB)));
        assertThat(alice.get("partition").asText()).isEqualTo("gpu");
        assertThat(bob.get("partition").asText()).isEqualTo("cpu");
        assertThat(alice.get("account").asText()).isEqualTo("alice");
        assertThat(alice.get("uid").asInt()).isEqualTo(1001);
        assertThat(alice.get("home").asText()).isEqualTo("/home/alice");
        assertThat(alice.get("who").asText()).isEqualTo("5e1f0000-0000-4000-8000-000000000001");
        assertThat(alice.get("java").asText()).isEqualTo("21.0.5");
        assertThat(alice.get("modern").asBoolean()).isTrue();
        assertThat(alice.get("site").asText()).isEqualTo("site");
    }

    @Test
    void shellEscapeGivesOneShellWordInOneYamlScalar() throws Exception {
        JsonNode out = render(
                "a: {{ v|shell_escape }}\nb: {{ w|shell_escape }}\n",
                "{\"v\": \"it's; rm -rf /\", \"w\": \"plain-word\"}");
        assertThat(out.get("a").asText()).isEqualTo("'it'\"'\"'s; rm -rf /'");
        assertThat(out.get("b").asText()).isEqualTo("plain-word");
    }

    @Test
    void theSchemaIsEnforcedBeforeRendering() {
        UserConfigSchema schema = UserConfigSchema.parse("""
                {"type": "object", "properties": {"workers": {"type": "integer", "minimum": 1, "maximum": 8}},
                 "additionalProperties": false}""");
        UserConfigTemplate t = new UserConfigTemplate("w: {{ workers }}\n", null, schema);
        assertThat(t.render(inputs("{\"workers\": 4}", ALICE))).contains("w: 4");
        assertThatThrownBy(() -> t.render(inputs("{\"workers\": 99}", ALICE)))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("schema")
                .hasMessageContaining("workers");
        assertThatThrownBy(() -> t.render(inputs("{\"workers\": 2, \"extra\": \"x\"}", ALICE)))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("extra");
        assertThatThrownBy(() -> UserConfigSchema.parse("[1]")).isInstanceOf(GantryException.class);
    }

    @Test
    void includesReadOnlyTheTemplatesDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("engine.yaml.j2"), "engine:\n  type: process\n  max_workers: {{ n }}\n");
        Files.writeString(dir.getParent().resolve("outside-" + dir.getFileName() + ".j2"), "secret: 1\n");
        UserConfigTemplate ok =
                new UserConfigTemplate("heartbeat_period: 5\n{% include 'engine.yaml.j2' %}", dir, null);
        assertThat(YAML.readTree(ok.render(inputs("{\"n\": 2}", ALICE)))
                        .get("engine")
                        .get("max_workers")
                        .asInt())
                .isEqualTo(2);
        UserConfigTemplate escape =
                new UserConfigTemplate("{% include '../outside-" + dir.getFileName() + ".j2' %}", dir, null);
        assertThatThrownBy(() -> escape.render(inputs("{}", ALICE))).isInstanceOf(GantryException.class);
        UserConfigTemplate absolute = new UserConfigTemplate("{% include '/etc/hostname' %}", dir, null);
        assertThatThrownBy(() -> absolute.render(inputs("{}", ALICE))).isInstanceOf(GantryException.class);
        Files.deleteIfExists(dir.getParent().resolve("outside-" + dir.getFileName() + ".j2"));
    }

    @Test
    void extendsAndImportReadTheTemplatesDirectoryToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("base.yaml.j2"), "heartbeat_period: 5\n{% block engine %}{% endblock %}\n");
        Files.writeString(
                dir.resolve("macros.j2"),
                "{% macro engine(n) %}engine:\n  type: process\n  max_workers: {{ n }}\n{% endmacro %}");
        UserConfigTemplate t = new UserConfigTemplate(
                "{% extends 'base.yaml.j2' %}{% block engine %}"
                        + "{% import 'macros.j2' as m %}{{ m.engine(workers) }}{% endblock %}",
                dir, null);
        JsonNode out = YAML.readTree(t.render(inputs("{\"workers\": 3}", ALICE)));
        assertThat(out.get("heartbeat_period").asInt()).isEqualTo(5);
        assertThat(out.get("engine").get("max_workers").asInt()).isEqualTo(3);
    }

    @Test
    void aRenderedConfigWithAKeyTwiceOrNotAMappingIsRefused() {
        assertThatThrownBy(() -> render("a: 1\na: 2\n", "{}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> render("- 1\n", "{}"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("mapping");
    }

    @Test
    void userOptionsMustBeAnObject() {
        assertThatThrownBy(() -> render("a: 1\n", "[1, 2]"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("JSON object");
    }
}
