package dev.gantry.protocol;

import java.util.List;
import java.util.Optional;

/**
 * Where an audit record goes: a file ({@link AuditFile}), or a high-assurance manager that keeps the record of
 * its user endpoints. Once it cannot record, it never records again, and says why.
 */
public interface AuditSink extends AutoCloseable {
    /** Records {@code events}; false, with nothing more ever recorded, if the sink is or becomes broken. */
    boolean append(List<?> events);

    /** Why nothing can be recorded, if nothing can. */
    Optional<String> broken();

    @Override
    void close();
}
