package dev.gantry.cli;

import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.payload.Serialized;
import dev.gantry.protocol.payload.Strategy;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** A task's status as lines for people: its state, its times, its attempts, its result or its error. */
final class TaskText {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private TaskText() {}

    static void print(TaskStatus s, PrintStream out) {
        out.println("Task " + s.taskId() + ": " + s.status());
        TaskStatus.Details d = s.details();
        if (d != null && d.endpointId() != null) {
            row(out, "endpoint", d.endpointId().toString());
        }
        if (s.taskGroupId() != null) {
            row(out, "group", s.taskGroupId().toString());
        }
        if (d != null && d.taskTransitions() != null) {
            Double first = null;
            for (Map.Entry<String, Double> t : d.taskTransitions().entrySet()) {
                first = first == null ? t.getValue() : first;
                row(
                        out,
                        t.getKey(),
                        time(t.getValue()) + (t.getValue().equals(first) ? "" : since(first, t.getValue())));
            }
        }
        if (d != null && d.attempts() != null) {
            for (TaskStatus.Attempt a : d.attempts()) {
                row(
                        out,
                        "attempt " + a.attempt(),
                        "ended " + time(a.ended()) + ": " + a.errorCode()
                                + (a.reason() == null ? "" : ", " + a.reason()));
            }
        }
        if (s.result() != null) {
            row(out, "result", result(s.result()));
        }
        if (s.errorCode() != null || s.exception() != null) {
            row(
                    out,
                    "error",
                    (s.errorCode() == null ? "" : s.errorCode().name())
                            + (s.exceptionType() == null ? "" : " (" + s.exceptionType() + ")"));
            if (s.exception() != null) {
                s.exception().lines().forEach(l -> out.println("    " + l));
            }
        }
    }

    /** A JSON result as its JSON text; one the CLI cannot read (dill, Java serialization) by what it is. */
    static String result(String buffer) {
        try {
            Serialized r = Serialized.parse(buffer);
            if (r.strategy() == Strategy.JSON) {
                return Json.write(Json.mapper().readTree(r.body()));
            }
            return r.body().length() + " bytes in " + r.strategy().id()
                    + " (read it with the SDK that submitted the task)";
        } catch (Exception e) {
            return buffer.length() > 200 ? buffer.substring(0, 200) + "…" : buffer;
        }
    }

    private static void row(PrintStream out, String key, String value) {
        out.printf("  %-19s %s%n", key, value);
    }

    static String time(double epochSeconds) {
        return TIME.format(Instant.ofEpochMilli(Math.round(epochSeconds * 1000)));
    }

    private static String since(double first, double t) {
        return String.format(java.util.Locale.ROOT, "  (+%.3f s)", t - first);
    }
}
