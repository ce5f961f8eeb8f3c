package dev.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** The id of a task group. */
public record TaskGroupId(UUID value) {
    public TaskGroupId {
        Objects.requireNonNull(value, "task group id");
    }

    public static TaskGroupId random() {
        return new TaskGroupId(UUID.randomUUID());
    }

    @JsonCreator
    public static TaskGroupId of(String text) {
        return new TaskGroupId(Ids.parse("task group id", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
