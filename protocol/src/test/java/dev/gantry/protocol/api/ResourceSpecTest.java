package dev.gantry.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import org.junit.jupiter.api.Test;

class ResourceSpecTest {
    private static ResourceSpec parse(String json) {
        return ResourceSpec.parse(Json.read(json, com.fasterxml.jackson.databind.JsonNode.class));
    }

    @Test
    void missingCountsAreDerivedFromTheOthers() {
        assertThat(parse("{\"num_ranks\": 4}")).isEqualTo(new ResourceSpec(1, 4, 4, ""));
        assertThat(parse("{\"num_nodes\": 2, \"ranks_per_node\": 3}")).isEqualTo(new ResourceSpec(2, 3, 6, ""));
        assertThat(parse("{\"num_nodes\": 2, \"num_ranks\": 3, \"launcher_options\": \"--bind-to core\"}"))
                .isEqualTo(new ResourceSpec(2, 2, 3, "--bind-to core"));
        assertThat(parse("{\"num_nodes\": 2}"))
                .as("Globus Compute's engines: one rank per node")
                .isEqualTo(new ResourceSpec(2, 1, 2, ""));
        assertThat(parse("{\"priority\": 5}"))
                .as("a GlobusComputeEngine's only key")
                .isNull();
        assertThat(parse("{}")).isNull();
        assertThat(ResourceSpec.parse(null)).isNull();
    }

    @Test
    void badSpecificationsAreRefusedWithTheirReason() {
        String[][] cases = {
            {"{\"num_ranks\": 2, \"gpus\": 1}", "unknown key 'gpus'"},
            {"{\"priority\": \"high\"}", "priority must be a whole number"},
            {"{\"num_ranks\": 0}", "num_ranks"},
            {"{\"num_ranks\": -2}", "num_ranks"},
            {"{\"num_ranks\": \"2\"}", "whole number"},
            {"{\"num_ranks\": 2.5}", "whole number"},
            {"{\"num_nodes\": 2, \"ranks_per_node\": 2, \"num_ranks\": 5}", "does not fit"},
            {"{\"num_nodes\": 3, \"num_ranks\": 2}", "does not fit"},
            {"{\"num_ranks\": 2, \"launcher_options\": \"-x A; rm -rf /\"}", "launcher_options"},
            {"{\"num_ranks\": 2, \"launcher_options\": \"$(id)\"}", "launcher_options"},
            {"{\"num_ranks\": 2, \"launcher_options\": 5}", "must be a string"},
            {"[1]", "must be an object"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0]))
                    .as(c[0])
                    .isInstanceOf(GantryException.class)
                    .hasMessageContaining(c[1])
                    .satisfies(e -> assertThat(((GantryException) e).code()).isEqualTo(ApiError.SEMANTICALLY_INVALID));
        }
    }
}
