package dev.gantry.protocol.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuffersTest {

    /** Vectors written by hand from Globus Compute's pack_buffers: f"{len(b)}\n{b}" with len in code points. */
    @Test
    void packsLikeGlobusCompute() {
        assertThat(Buffers.pack(List.of("11\n[1, 2]", "11\n{}"))).isEqualTo("9\n11\n[1, 2]5\n11\n{}");
        assertThat(Buffers.pack(List.of("11\n\"\uD83D\uDE00\""))).isEqualTo("6\n11\n\"\uD83D\uDE00\"");
        assertThat(Buffers.pack(List.of("st\nf:def f(x):\n    return x\n")))
                .isEqualTo("28\nst\nf:def f(x):\n    return x\n");
    }

    @Test
    void unpackInvertsPackEvenAcrossNewlinesAndSurrogates() {
        List<String> parts = List.of("11\n\"a\nb\"", "11\n\"\uD83D\uDE00\uD83D\uDE00\"", "");
        assertThat(Buffers.unpack(Buffers.pack(parts))).isEqualTo(parts);
    }

    @Test
    void malformedPayloadsAreRefusedWithAStableCode() {
        for (String bad : List.of("x\nabc", "5\nab", "\nabc", "99999999999\nabc", "-1\na")) {
            assertThatThrownBy(() -> Buffers.unpack(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            GantryException.class, e -> assertThat(e.code()).isEqualTo(ApiError.SEMANTICALLY_INVALID));
        }
    }

    @Test
    void argumentsRoundTripAndRefuseOtherStrategies() {
        Arguments a = Arguments.of(List.of(1, "two", List.of(3.0)));
        assertThat(a.pack()).isEqualTo("18\n11\n[1,\"two\",[3.0]]5\n11\n{}");
        assertThat(Arguments.unpack(a.pack())).isEqualTo(a);
        String pickled = Buffers.pack(List.of("00\ngASV", "11\n{}"));
        assertThatThrownBy(() -> Arguments.unpack(pickled)).hasMessageContaining("JSON strategy");
    }

    @Test
    void serializedBufferNeedsAKnownStrategyHeader() {
        assertThat(Serialized.parse("11\n42")).isEqualTo(new Serialized(Strategy.JSON, "42"));
        assertThatThrownBy(() -> Serialized.parse("zz\n42")).hasMessageContaining("unknown serialization strategy");
        assertThatThrownBy(() -> Serialized.parse("11")).isInstanceOf(GantryException.class);
    }
}
