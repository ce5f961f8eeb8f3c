package dev.gantry.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.protocol.api.BatchStatusRequest;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.api.SubmitRequest;
import dev.gantry.protocol.channel.ChannelMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

    private static ApiError codeOf(String json, Class<?> type) {
        try {
            Json.read(json, type);
            throw new AssertionError("decoded " + json);
        } catch (GantryException e) {
            return e.code();
        }
    }

    @Test
    void notJsonIsInvalidJsonAndWrongShapeIsSemanticallyInvalid() {
        assertThat(codeOf("{\"function_name\": ", FunctionRegistration.class)).isEqualTo(ApiError.INVALID_JSON);
        assertThat(codeOf("{\"function_name\": 5, \"function_code\": \"x\"}", FunctionRegistration.class))
                .isEqualTo(ApiError.SEMANTICALLY_INVALID);
        assertThat(codeOf("{\"function_code\": \"x\"}", FunctionRegistration.class))
                .isEqualTo(ApiError.SEMANTICALLY_INVALID);
        assertThat(codeOf("null", FunctionRegistration.class)).isEqualTo(ApiError.SEMANTICALLY_INVALID);
        assertThat(codeOf("{\"tasks\": {}}", SubmitRequest.class)).isEqualTo(ApiError.SEMANTICALLY_INVALID);
        assertThat(codeOf("{\"tasks\": {\"f\": [1]}}", SubmitRequest.class)).isEqualTo(ApiError.SEMANTICALLY_INVALID);
        assertThat(codeOf("{\"task_ids\": [\"not-a-uuid\"]}", BatchStatusRequest.class))
                .isEqualTo(ApiError.INVALID_UUID);
    }

    @Test
    void aKeyTwiceInOneObjectAndAFractionWhereAWholeNumberIsDueAreRefused() {
        GantryException twice = catchThrowableOfType(
                GantryException.class,
                () -> Json.readBody(
                        "{\"task_ids\": [], \"task_ids\": [\"00000000-0000-0000-0000-000000000001\"]}"
                                .getBytes(StandardCharsets.UTF_8),
                        BatchStatusRequest.class));
        assertThat(twice.code()).isEqualTo(ApiError.INVALID_JSON);
        assertThat(twice.getMessage()).contains("Duplicate field 'task_ids'");
        assertThat(codeOf("{\"type\":\"accepted\",\"tasks\":[],\"at_ms\":3.7}", ChannelMessage.class))
                .isEqualTo(ApiError.SEMANTICALLY_INVALID);
        assertThat(Json.read("{\"type\":\"accepted\",\"tasks\":[],\"at_ms\":3}", ChannelMessage.class))
                .isEqualTo(new ChannelMessage.Accepted(List.of(), 3));
        assertThat(codeOf("{\"tasks\": {\"f\": [\"p\"]}, \"max_retries\": 3.7}", SubmitRequest.class))
                .isEqualTo(ApiError.SEMANTICALLY_INVALID);
    }

    @Test
    void aSubmitsTemplateValuesResourcesAndRuntimeAreObjects() {
        for (String field : List.of("user_endpoint_config", "resource_specification", "user_runtime")) {
            for (String odd : List.of("\"x\"", "[]", "3")) {
                assertThat(codeOf("{\"tasks\": {\"f\": [\"p\"]}, \"" + field + "\": " + odd + "}", SubmitRequest.class))
                        .as(field + ": " + odd)
                        .isEqualTo(ApiError.SEMANTICALLY_INVALID);
            }
            Json.read("{\"tasks\": {\"f\": [\"p\"]}, \"" + field + "\": null}", SubmitRequest.class);
            Json.read("{\"tasks\": {\"f\": [\"p\"]}, \"" + field + "\": {\"a\": [1]}}", SubmitRequest.class);
        }
    }

    @Test
    void onlyCanonicalUuidTextIsAnId() {
        for (String odd : List.of(
                "0000000-00000-0000-0000-000000000001",
                "+0000000-0000-0000-0000-000000000001",
                "00000000-0000-0000-0000-00000000000\u0661",
                "00000000-0000-0000-0000-00000000000\uFF11")) {
            assertThatThrownBy(() -> TaskId.of(odd))
                    .as(odd)
                    .isInstanceOfSatisfying(
                            GantryException.class, e -> assertThat(e.code()).isEqualTo(ApiError.INVALID_UUID));
        }
        assertThat(TaskId.of("0000000A-0000-0000-0000-000000000001").toString())
                .isEqualTo("0000000a-0000-0000-0000-000000000001");
    }

    @Test
    void deepNestingIsRefusedBeforeItCostsAnything() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertThat(codeOf("{\"tasks\": " + deep + "}", SubmitRequest.class))
                .isIn(ApiError.INVALID_JSON, ApiError.SEMANTICALLY_INVALID);
    }

    @Test
    void fieldNamesAreSnakeCaseAndChannelMessagesCarryTheirType() {
        String json =
                Json.write(new ChannelMessage.Accepted(List.of(TaskId.of("00000000-0000-0000-0000-000000000001")), 7));
        assertThat(json)
                .isEqualTo("{\"type\":\"accepted\",\"tasks\":[\"00000000-0000-0000-0000-000000000001\"],\"at_ms\":7}");
        assertThat(Json.read(json, ChannelMessage.class)).isInstanceOf(ChannelMessage.Accepted.class);
        assertThat(Json.read("{\"type\":\"stop\",\"reason\":\"x\",\"future_field\":1}", ChannelMessage.class))
                .isEqualTo(new ChannelMessage.Stop("x"));
    }

    @Test
    void idsAreParsedNotNormalised() {
        assertThatThrownBy(() -> TaskId.of("../../etc/passwd"))
                .isInstanceOfSatisfying(
                        GantryException.class, e -> assertThat(e.code()).isEqualTo(ApiError.INVALID_UUID));
        assertThatThrownBy(() -> TaskId.of("1-1-1-1-1")).isInstanceOf(GantryException.class);
    }
}
