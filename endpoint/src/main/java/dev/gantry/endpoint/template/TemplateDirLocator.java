package dev.gantry.endpoint.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.loader.ResourceLocator;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets {@code include}, {@code import} and {@code extends} read files of the template's directory and nothing
 * else: a name that resolves outside it (through {@code ..}, an absolute path or a symbolic link) is not found.
 * The files are read with the rendering process's rights, which are the user's.
 */
final class TemplateDirLocator implements ResourceLocator {
    private static final long MAX_BYTES = 1 << 20;
    private final Path dir;

    TemplateDirLocator(Path dir) {
        this.dir = dir;
    }

    @Override
    public String getString(String name, Charset encoding, JinjavaInterpreter interpreter) throws IOException {
        if (dir == null) {
            throw new ResourceNotFoundException("'" + name + "': this template has no directory to include from");
        }
        Path base = dir.toRealPath();
        Path file = base.resolve(name).normalize();
        if (!file.startsWith(base)
                || !Files.isRegularFile(file)
                || !file.toRealPath().startsWith(base)) {
            throw new ResourceNotFoundException("'" + name + "' is not a file of the template's directory " + base);
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new ResourceNotFoundException("'" + name + "' is larger than " + MAX_BYTES + " bytes");
        }
        return Files.readString(file, encoding);
    }
}
