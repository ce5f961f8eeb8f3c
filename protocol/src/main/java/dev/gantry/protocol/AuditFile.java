package dev.gantry.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An append-only audit record: one JSON line per event in an owner-only file, opened for appending only, a batch
 * of events one write. The first write that fails breaks it for good ({@link #broken()} says why): a component
 * that must not act unrecorded then stops, until it is restarted with a writable file.
 */
public final class AuditFile implements AuditSink {
    private final Path file;
    private final String consequence;
    private final Consumer<String> onBreak;
    private FileChannel channel;
    private volatile String broken;

    private AuditFile(Path file, String consequence, Consumer<String> onBreak) {
        this.file = file;
        this.consequence = consequence;
        this.onBreak = onBreak;
    }

    /**
     * The record in {@code file}, created owner-only whatever the umask; one that cannot be opened is broken from
     * the start. {@code consequence} ends the reason it gives when it breaks (what stops, what to do), which goes
     * to {@code onBreak} once (to be logged).
     */
    public static AuditFile open(Path file, String consequence, Consumer<String> onBreak) {
        AuditFile f = new AuditFile(file, consequence, onBreak);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Set<StandardOpenOption> how =
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            FileAttribute<?>[] ownerOnly =
                    FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                            ? new FileAttribute<?>[] {
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                            }
                            : new FileAttribute<?>[0];
            f.channel = FileChannel.open(file, how, ownerOnly);
        } catch (IOException | RuntimeException e) {
            f.broke(e);
        }
        return f;
    }

    /** Appends {@code events}, one JSON line each; false, with nothing more ever written, if broken. */
    @Override
    public synchronized boolean append(List<?> events) {
        if (events.isEmpty()) {
            return broken == null;
        }
        if (broken != null || channel == null) {
            return false; // broken, or closed: nothing is recorded after the component stopped
        }
        StringBuilder lines = new StringBuilder(events.size() * 120);
        events.forEach(e -> lines.append(Json.write(e)).append('\n'));
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            broke(e);
            return false;
        }
    }

    @Override
    public Optional<String> broken() {
        return Optional.ofNullable(broken);
    }

    private void broke(Exception e) {
        broken = "the audit log " + file + " cannot be written (" + e + "); " + consequence;
        onBreak.accept(broken);
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // every line was written when append returned; nothing is left to lose
            }
            channel = null;
        }
    }
}
