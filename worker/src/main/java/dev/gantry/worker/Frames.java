package dev.gantry.worker;

import dev.gantry.protocol.Json;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/** Length-prefixed JSON frames between an engine and its worker processes. */
public final class Frames {
    public static final int MAX_FRAME = 64 * 1024 * 1024;

    private Frames() {}

    public static void write(DataOutputStream out, Object message) throws IOException {
        byte[] bytes = Json.writeBytes(message);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** The next frame, or null at the end of the stream. */
    public static <T> T read(DataInputStream in, Class<T> type) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("frame length " + length + " is out of range");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return Json.read(bytes, type);
    }
}
