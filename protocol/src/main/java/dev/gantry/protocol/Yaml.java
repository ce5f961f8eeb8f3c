package dev.gantry.protocol;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The one YAML mapper of every configuration file (an endpoint's, a manager's, a rendered user endpoint
 * config, the administrator's environment, the service's settings): snake_case keys, unknown keys and keys
 * given twice are errors, and a file is at most {@link #MAX_BYTES} and nested at most
 * {@link Json#MAX_NESTING_DEPTH} deep, so that no file can make a reader scan for minutes or fill its heap
 * (aliases are not expanded: a tree holds an alias's name).
 */
public final class Yaml {
    public static final int MAX_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = create();

    private Yaml() {}

    private static ObjectMapper create() {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(MAX_BYTES);
        loader.setNestingDepthLimit(Json.MAX_NESTING_DEPTH);
        loader.setAllowDuplicateKeys(false);
        YAMLFactory factory = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A file's text, refused before it is parsed if it is larger than {@link #MAX_BYTES}. */
    public static byte[] bytes(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    file + " is " + size + " bytes; a configuration" + " file may be at most " + MAX_BYTES + " bytes");
        }
        return Files.readAllBytes(file);
    }

    /** A file's YAML as a tree; see {@link #bytes}. Syntax errors are the parser's {@link IOException}s. */
    public static JsonNode readTree(Path file) throws IOException {
        return MAPPER.readTree(bytes(file));
    }
}
