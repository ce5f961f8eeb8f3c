package dev.gantry.worker;

import dev.gantry.protocol.Limits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Copies what a shell task's command appends to its output files into the task's output while it runs, every
 * {@link #POLL_MS}, and what is left when it stops. The files stay as they are: a ShellResult still reads them.
 */
final class FileFollower implements AutoCloseable {
    static final long POLL_MS = 100;
    private final List<Path> files;
    private final long[] positions;
    private final OutputBuffer output;
    private final ReentrantLock reading = new ReentrantLock();
    private final ByteBuffer buf = ByteBuffer.allocate(Limits.MAX_OUTPUT_CHUNK_BYTES);
    private volatile boolean open = true;
    private Thread thread;

    /** Follows {@code files} from their current ends. */
    FileFollower(List<Path> files, OutputBuffer output) throws IOException {
        this.files = List.copyOf(files);
        this.output = output;
        this.positions = new long[files.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = Files.exists(files.get(i)) ? Files.size(files.get(i)) : 0;
        }
    }

    FileFollower start() {
        thread = Thread.ofVirtual().name("shell-output").start(() -> {
            while (open) {
                readNew();
                try {
                    Thread.sleep(POLL_MS); // a poll of a file: there is nothing to wait on instead
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    private void readNew() {
        reading.lock();
        try {
            for (int i = 0; i < positions.length; i++) {
                positions[i] = copy(files.get(i), positions[i]);
            }
        } finally {
            reading.unlock();
        }
    }

    /** Copies what {@code file} holds past {@code from}; returns the new position. */
    private long copy(Path file, long from) {
        if (!Files.exists(file)) {
            return from;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size - from > OutputBuffer.CAPACITY) {
                output.skipped(size - OutputBuffer.CAPACITY - from); // the buffer would keep only the newest anyway
                from = size - OutputBuffer.CAPACITY;
            }
            long at = from;
            while (at < size) {
                buf.clear();
                int n = ch.read(buf, at);
                if (n <= 0) {
                    break;
                }
                output.write(buf.array(), 0, n);
                at += n;
            }
            return at;
        } catch (IOException e) {
            return from;
        }
    }

    /** Stops following, after copying what the files hold now. */
    @Override
    public void close() {
        open = false;
        if (thread != null) {
            thread.interrupt();
        }
        readNew();
    }
}
