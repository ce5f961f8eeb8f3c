package dev.gantry.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaBundle;
import dev.gantry.protocol.payload.Serialized;
import dev.gantry.protocol.payload.Strategy;
import dev.gantry.sdk.fixtures.Fns;
import dev.gantry.sdk.fixtures.Globals;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionPackerTest {

    private static JavaBundle bundle(PackedFunction p) {
        List<String> buffers = Buffers.unpack(p.registration().functionCode());
        Serialized s = Serialized.parse(buffers.get(0));
        assertThat(s.strategy()).isEqualTo(Strategy.JAVA_BUNDLE);
        return Json.read(s.body(), JavaBundle.class);
    }

    @Test
    void aLambdaShipsItsClassAndWhatItNamesButNotTheJdkOrWhatWorkersHave() {
        PackedFunction p = new FunctionPacker().pack(Fns.NORM);
        List<String> names =
                bundle(p).classes().stream().map(JavaBundle.ClassFile::name).toList();
        assertThat(names)
                .contains(
                        "dev.gantry.sdk.fixtures.Fns",
                        "dev.gantry.sdk.fixtures.Fns$Point",
                        "dev.gantry.sdk.RemoteFunction1");
        assertThat(names)
                .noneMatch(n -> n.startsWith("java.")
                        || n.startsWith("com.fasterxml.jackson.")
                        || n.startsWith("dev.gantry.protocol.")
                        || n.contains("junit")
                        || n.contains("assertj"));
        assertThat(bundle(p).classes()).allMatch(c -> c.sha256().length() == 64);
        assertThat(p.resultType()).isEqualTo(Double.class);
        assertThat(p.registration().functionName()).startsWith("Fns.lambda$");
    }

    @Test
    void capturedValuesAreTypedJsonAndPartOfTheKey() {
        JavaBundle b = bundle(new FunctionPacker().pack(Fns.adder(42)));
        assertThat(b.lambda().capturedArgs()).hasSize(1);
        assertThat(b.lambda().capturedArgs().get(0).type()).isEqualTo("java.lang.Integer");
        assertThat(b.lambda().capturedArgs().get(0).value().asInt()).isEqualTo(42);
        assertThat(FunctionPacker.key(Fns.adder(1)))
                .isEqualTo(FunctionPacker.key(Fns.adder(1)))
                .isNotEqualTo(FunctionPacker.key(Fns.adder(2)));
    }

    @Test
    void anObjectShipsAsItsClassAndJsonState() {
        JavaBundle b = bundle(new FunctionPacker().pack(new Fns.Multiplier(3)));
        assertThat(b.lambda()).isNull();
        assertThat(b.instance().className()).isEqualTo("dev.gantry.sdk.fixtures.Fns$Multiplier");
        assertThat(b.instance().state().get("factor").asInt()).isEqualTo(3);
    }

    @Test
    void constantPoolReferencesIncludeDescriptorsAndArrays() throws Exception {
        byte[] cls;
        try (var in = Fns.class.getResourceAsStream("Fns.class")) {
            cls = in.readAllBytes();
        }
        assertThat(ClassClosure.references(cls))
                .contains(
                        "dev/gantry/sdk/fixtures/Fns$Point",
                        "java/lang/Math",
                        "dev/gantry/sdk/RemoteFunction1",
                        "java/util/List");
    }

    @Test
    void staticFieldsTheFunctionReadsTravelWithTheirCurrentValuesAndArePartOfTheKey() {
        int before = Globals.offset;
        try {
            Globals.offset = 100;
            Globals.greeting = "hi";
            assertThat(bundle(new FunctionPacker().pack(Globals.addOffset())).statics())
                    .singleElement()
                    .satisfies(v -> {
                        assertThat(v.className()).isEqualTo("dev.gantry.sdk.fixtures.Globals");
                        assertThat(v.field()).isEqualTo("offset");
                        assertThat(v.value().asInt()).isEqualTo(100);
                    });
            assertThat(bundle(new FunctionPacker().pack(Globals.greet())).statics())
                    .extracting(v -> v.field() + "=" + v.value().asText())
                    .containsExactly("greeting=hi");
            String key = FunctionPacker.key(Globals.addOffset());
            Globals.offset = 101;
            assertThat(FunctionPacker.key(Globals.addOffset())).isNotEqualTo(key);
        } finally {
            Globals.offset = before;
            Globals.greeting = null;
        }
    }

    @Test
    void finalFieldsAndFunctionsThatReadNoStateCarryNothing() {
        assertThat(bundle(new FunctionPacker().pack(Globals.underLimit())).statics())
                .isEmpty();
        assertThat(bundle(new FunctionPacker().pack(Fns.NORM)).statics()).isEmpty();
    }

    @Test
    void aStaticFieldWhoseValueCannotTravelIsRefusedSayingWhatToDo() {
        Globals.handle = new Object();
        try {
            assertThatThrownBy(() -> new FunctionPacker().pack(Globals.describeHandle()))
                    .isInstanceOf(GantryException.class)
                    .hasMessageContaining("static field dev.gantry.sdk.fixtures.Globals.handle")
                    .hasMessageContaining("java.lang.Object, cannot be sent as JSON")
                    .hasMessageContaining("Pass what the function needs as an argument");
        } finally {
            Globals.handle = null;
        }
    }
}
