package dev.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** The id of a endpoint. */
public record EndpointId(UUID value) {
    public EndpointId {
        Objects.requireNonNull(value, "endpoint id");
    }

    public static EndpointId random() {
        return new EndpointId(UUID.randomUUID());
    }

    @JsonCreator
    public static EndpointId of(String text) {
        return new EndpointId(Ids.parse("endpoint id", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
