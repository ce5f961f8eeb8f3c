package dev.gantry.endpoint.identity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One rule of an {@code expression_identity_mapping#1.0.0}: {@code source} (a string with {@code {field}}
 * references to the identity's fields) must match {@code match} as a whole (a regular expression, or with
 * {@code literal} the text itself; {@code ignore_case} ignores case); the local name is {@code output} with
 * {@code {0}}, {@code {1}}, ... replaced by the match's first, second, ... group.
 */
public record ExpressionMapping(String source, String match, String output, boolean ignoreCase, boolean literal) {
    private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern GROUP = Pattern.compile("\\{(\\d+)}");

    public ExpressionMapping {
        if (source == null
                || source.isEmpty()
                || match == null
                || match.isEmpty()
                || output == null
                || output.isEmpty()) {
            throw IdentityMapping.invalid("an expression mapping needs source, match and output");
        }
    }

    Pattern pattern() {
        int flags =
                (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0) | (literal ? Pattern.LITERAL : 0);
        try {
            return Pattern.compile(match, flags);
        } catch (PatternSyntaxException e) {
            throw IdentityMapping.invalid("match '" + match + "' is not a regular expression: " + e.getDescription());
        }
    }

    /** The local name this rule gives the identity, if its source matches. */
    Optional<String> apply(FederatedIdentity identity, Pattern compiled) {
        String text = substitute(source, FIELD, name -> identity.fields().get(name));
        if (text == null) {
            return Optional.empty(); // a field the identity does not have
        }
        Matcher m = compiled.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.ofNullable(substitute(output, GROUP, n -> group(m, Integer.parseInt(n))));
    }

    /** {@code {0}} is the first group (the whole match when there is none), {@code {1}} the second, ... */
    private static String group(Matcher m, int i) {
        if (m.groupCount() == 0) {
            return i == 0 ? m.group() : null;
        }
        return i < m.groupCount() ? m.group(i + 1) : null;
    }

    /** {@code template} with each reference replaced, or null if one has no value. */
    private static String substitute(String template, Pattern ref, java.util.function.Function<String, String> value) {
        Matcher m = ref.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = value.apply(m.group(1));
            if (v == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
