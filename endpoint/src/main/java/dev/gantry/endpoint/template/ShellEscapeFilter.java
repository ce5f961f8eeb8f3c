package dev.gantry.endpoint.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.gantry.protocol.Json;
import java.util.regex.Pattern;

/**
 * {@code shell_escape}: the value as one shell word. A user value arrives JSON-encoded; it is decoded, quoted
 * for a POSIX shell (as Python's {@code shlex.quote}), and JSON-encoded again, so that it is still one YAML
 * scalar: {@code worker_init: {{ setup|shell_escape }}} gives the shell a single quoted word.
 */
final class ShellEscapeFilter implements Filter {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9@%+=:,./_-]+");

    @Override
    public String getName() {
        return "shell_escape";
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        return Json.write(quote(decoded(var)));
    }

    static String decoded(Object var) {
        String s = var == null ? "" : var.toString();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            try {
                return Json.read(s, String.class);
            } catch (RuntimeException e) {
                return s;
            }
        }
        return s;
    }

    static String quote(String s) {
        if (s.isEmpty()) {
            return "''";
        }
        if (SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }
}
