package dev.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** The id of a function. */
public record FunctionId(UUID value) {
    public FunctionId {
        Objects.requireNonNull(value, "function id");
    }

    public static FunctionId random() {
        return new FunctionId(UUID.randomUUID());
    }

    @JsonCreator
    public static FunctionId of(String text) {
        return new FunctionId(Ids.parse("function id", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
