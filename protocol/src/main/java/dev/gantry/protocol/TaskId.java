package dev.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** The id of a task. */
public record TaskId(UUID value) {
    public TaskId {
        Objects.requireNonNull(value, "task id");
    }

    public static TaskId random() {
        return new TaskId(UUID.randomUUID());
    }

    @JsonCreator
    public static TaskId of(String text) {
        return new TaskId(Ids.parse("task id", text));
    }

    @JsonValue
    @Override
    public String toString() {
        return value.toString();
    }
}
