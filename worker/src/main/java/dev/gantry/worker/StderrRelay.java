package dev.gantry.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads a warm interpreter's standard error (where its tasks' prints go) and hands it to the task it runs, or,
 * between tasks, to this JVM's standard error. The interpreter writes {@link #END} after each task, before its
 * reply, so that {@link #awaitEnd} can tell when the task's last print has been read.
 */
final class StderrRelay {
    /** The interpreter's mark after each task's output; a NUL starts it, which text output does not hold. */
    static final byte[] END = "\u0000gantry:end\n".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final PrintStream idle;
    private final Semaphore ends = new Semaphore(0);
    private volatile OutputBuffer task;
    private int matched;

    StderrRelay(InputStream in, PrintStream idle) {
        this.in = in;
        this.idle = idle;
    }

    StderrRelay start() {
        Thread.ofVirtual().name("python-stderr").start(this::relay);
        return this;
    }

    /** What the interpreter writes from now on is {@code output}'s. */
    void attach(OutputBuffer output) {
        ends.drainPermits();
        task = output;
    }

    /** Waits (a bounded time) for the end of the attached task's output, then detaches it. */
    void awaitEnd(long ms) throws InterruptedException {
        ends.tryAcquire(ms, TimeUnit.MILLISECONDS);
        task = null;
    }

    private void relay() {
        byte[] buf = new byte[8192];
        byte[] plain = new byte[buf.length + END.length];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                int p = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == END[matched]) {
                        if (++matched == END.length) {
                            emit(plain, p);
                            p = 0;
                            matched = 0;
                            ends.release();
                        }
                        continue;
                    }
                    if (matched > 0) {
                        System.arraycopy(END, 0, plain, p, matched);
                        p += matched;
                        matched = 0;
                    }
                    if (b == END[0]) {
                        matched = 1;
                    } else {
                        plain[p++] = b;
                    }
                }
                emit(plain, p);
            }
        } catch (IOException e) {
            // the interpreter is gone
        }
        ends.release();
    }

    private void emit(byte[] b, int n) {
        if (n == 0) {
            return;
        }
        OutputBuffer t = task;
        if (t != null && t.isOpen()) {
            t.write(b, 0, n);
        } else {
            idle.write(b, 0, n);
            idle.flush();
        }
    }
}
