package dev.gantry.broker.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.TaskStatus;
import java.io.ByteArrayOutputStream;

/**
 * A task's outcome as globus-compute-common's messagepack v1 {@code Result}: the byte {@code 0x01}, then JSON
 * {@code {"message_type": "result", "data": {task_id, data, error_details}}}. {@code data} is the serialized
 * result, or for a failure the remote traceback (or the reason), with {@code error_details} naming the failure
 * in Globus Compute's codes; its SDK reads a Result with {@code error_details} as failed.
 */
public final class GcResult {
    private GcResult() {}

    /** The message for an ended task (a cancelled or expired one is a failure, as its SDK knows only two ends). */
    public static byte[] pack(TaskStatus ended) {
        TaskStatus s = ended.forGlobusCompute();
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("task_id", s.taskId().toString());
        boolean ok = s.status().equals("success");
        String text = ok ? s.result() : s.exception();
        data.put("data", text == null ? "" : text);
        if (!ok) {
            ObjectNode error = data.putObject("error_details");
            error.put("code", code(s.errorCode()));
            error.put(
                    "user_message",
                    s.errorCode() == FailureCode.REMOTE_EXECUTION_ERROR
                            ? "An error occurred during the execution of this task"
                            : lastLine(text));
        }
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("message_type", "result");
        message.set("data", data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.writeBytes(Json.writeBytes(message));
        return out.toByteArray();
    }

    /** Globus Compute's code for a failure where it has one; else Gantry's. */
    static String code(FailureCode c) {
        if (c == null) {
            return "UNKNOWN_TASK_FAILURE";
        }
        return switch (c) {
            case REMOTE_EXECUTION_ERROR -> "RemoteExecutionError";
            case MAX_RESULT_SIZE_EXCEEDED -> "MaxResultSizeExceeded";
            case COULD_NOT_EXECUTE_TASK -> "CouldNotExecuteUserTaskError";
            default -> c.name();
        };
    }

    private static String lastLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }
}
