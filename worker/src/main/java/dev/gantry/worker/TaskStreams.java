package dev.gantry.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.out} and {@code System.err} of a JVM that runs tasks on its threads: what a task's thread (or a
 * thread it started) prints goes to that task's {@link OutputBuffer}; what any other thread prints goes where it
 * went before. Installed by every task runner, and again before each task if something replaced them since.
 */
final class TaskStreams {
    private static final InheritableThreadLocal<OutputBuffer> CURRENT = new InheritableThreadLocal<>();

    private TaskStreams() {}

    /** Routes {@code System.out} and {@code System.err}, unless they are routed already (cheap then). */
    static void install() {
        if (!(System.out instanceof Routed) || !(System.err instanceof Routed)) {
            reinstall();
        }
    }

    private static synchronized void reinstall() {
        if (!(System.out instanceof Routed)) {
            System.setOut(new Routed(System.out));
        }
        if (!(System.err instanceof Routed)) {
            System.setErr(new Routed(System.err));
        }
    }

    private static final class Routed extends PrintStream {
        Routed(PrintStream before) {
            super(new Router(before), true, StandardCharsets.UTF_8);
        }
    }

    /** From now on, what this thread prints is {@code task}'s output (null: nobody's). */
    static void bind(OutputBuffer task) {
        CURRENT.set(task);
    }

    private static final class Router extends OutputStream {
        private final PrintStream before;

        Router(PrintStream before) {
            this.before = before;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            OutputBuffer task = CURRENT.get();
            if (task != null && task.isOpen()) {
                task.write(b, off, len);
            } else {
                before.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            OutputBuffer task = CURRENT.get();
            if (task == null || !task.isOpen()) {
                before.flush();
            }
        }
    }
}
