package dev.gantry.protocol.payload;

/** One serialized buffer split into its strategy and body. */
public record Serialized(Strategy strategy, String body) {

    public static Serialized parse(String buffer) {
        if (buffer.length() < 3 || buffer.charAt(2) != '\n') {
            throw Buffers.malformed("a serialized buffer starts with a 2-character strategy and a newline");
        }
        return new Serialized(Strategy.of(buffer.substring(0, 2)), buffer.substring(3));
    }

    @Override
    public String toString() {
        return strategy.tag(body);
    }
}
