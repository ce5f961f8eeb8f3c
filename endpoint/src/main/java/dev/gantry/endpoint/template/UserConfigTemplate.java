package dev.gantry.endpoint.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.Yaml;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrator's {@code user_config_template.yaml.j2}, rendered for one user endpoint. The reserved
 * variables are {@code parent_config} (the endpoint manager's configuration), {@code user_runtime} (the
 * submitting SDK: {@code java_version}, {@code java_major}, {@code sdk_version}, {@code platform}) and
 * {@code mapped_identity} ({@code local.uname}, {@code uid}, {@code gid}, {@code groups} (names), {@code gids},
 * {@code gecos}, {@code shell}, {@code dir}, and {@code id}, the identity's id); each is also under {@code _GC}.
 */
public final class UserConfigTemplate {
    private static final long MAX_OUTPUT = 1 << 20;

    private final String text;
    private final Path dir;
    private final UserConfigSchema schema;

    /**
     * @param dir the directory {@code include}, {@code import} and {@code extends} may read from (or null)
     * @param schema what user values must satisfy (or null: any object)
     */
    public UserConfigTemplate(String text, Path dir, UserConfigSchema schema) {
        this.text = text;
        this.dir = dir;
        this.schema = schema;
    }

    /** Checks the user's values, renders the template, and checks that the result is one YAML mapping. */
    public String render(TemplateInputs in) {
        ObjectNode options = UserValues.options(in.userOptions());
        if (schema != null) {
            schema.check(options);
        }
        Map<String, Object> context = new HashMap<>();
        options.properties().forEach(e -> context.put(e.getKey(), UserValues.inert(e.getValue())));
        Map<String, Object> reserved = reserved(in);
        context.putAll(reserved);
        context.put("_GC", reserved);
        RenderResult result = engine().renderForResult(text, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!fatal.isEmpty()) {
            TemplateError first = fatal.get(0);
            throw UserValues.invalid("the user endpoint template cannot be rendered: line " + first.getLineno() + ": "
                    + first.getMessage());
        }
        return checked(result.getOutput());
    }

    private Jinjava engine() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withEnableRecursiveMacroCalls(false)
                .withMaxRenderDepth(10)
                .withMaxOutputSize(MAX_OUTPUT)
                .withRangeLimit(1000)
                .build());
        jinjava.setResourceLocator(new TemplateDirLocator(dir));
        jinjava.registerFilter(new ShellEscapeFilter());
        return jinjava;
    }

    private static Map<String, Object> reserved(TemplateInputs in) {
        LocalUser u = in.user();
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("uname", u.uname());
        local.put("uid", u.uid());
        local.put("gid", u.gid());
        local.put("groups", u.groupNames());
        local.put("gids", u.groups());
        local.put("gecos", u.gecos());
        local.put("shell", u.shell());
        local.put("dir", u.dir());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("parent_config", in.parentConfig());
        out.put("user_runtime", in.userRuntime() == null ? Map.of() : UserValues.inert(in.userRuntime()));
        out.put("mapped_identity", Map.of("local", local, "id", in.identityId()));
        return out;
    }

    /** The rendered text, if it is one YAML mapping with no key given twice. */
    private static String checked(String rendered) {
        JsonNode tree;
        try {
            tree = Yaml.mapper().readTree(rendered);
        } catch (Exception e) {
            throw UserValues.invalid("the rendered user endpoint config is not valid YAML: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw UserValues.invalid("the rendered user endpoint config must be a YAML mapping");
        }
        return rendered;
    }
}
