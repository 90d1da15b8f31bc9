package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.edgetrain.fixed.FixedNetwork;
import org.edgetrain.loss.LossKind;
import org.edgetrain.memory.MemoryPlan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks every permitted {@link LayerSpec} record and asks each every descriptor question: parsed from its example and
 * from its own {@code toString()}, a shape, a PyTorch name, an fp32 layer built into a network, an int16 layer built into
 * a fixed network or a refusal (never both, never neither), and an ONNX operator that it really exports. A new kind
 * without an example in {@link LayerKinds} fails here.
 */
class LayerKindsTest {
    private static final Shape SEQUENCE = Shape.input(16, 2); // 8 steps × 2 channels
    private static final Shape FLAT = Shape.input(6, 1);

    @BeforeAll
    static void registerCustom() {
        WrongGradientDense.register(); // a Custom kind, named by registration
    }

    @AfterAll
    static void unregisterCustom() {
        CustomLayers.unregister(WrongGradientDense.KIND);
    }

    /** One of each kind: every kind's example, and a registered custom layer. */
    static List<LayerSpec> oneOfEach() {
        List<LayerSpec> out = new ArrayList<>(LayerKinds.examples());
        out.add(new LayerSpec.Custom(WrongGradientDense.KIND, 3));
        return out;
    }

    /** The records a LayerSpec can be, through sealed sub-interfaces such as TimeLayerSpec. */
    private static Set<Class<?>> records(Class<?> sealed) {
        Set<Class<?>> out = new HashSet<>();
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) out.addAll(records(c));
            else out.add(c);
        }
        return out;
    }

    @Test
    void everyPermittedKindHasAnExample() {
        Set<Class<?>> sampled = new HashSet<>();
        for (LayerSpec s : oneOfEach()) sampled.add(s.getClass());
        Set<String> missing = new java.util.TreeSet<>();
        for (Class<?> c : records(LayerSpec.class)) if (!sampled.contains(c)) missing.add(c.getSimpleName());
        assertEquals(Set.of(), missing, "LayerSpec records without a KIND in LayerKinds.all() (or its example)");
        assertEquals(17, LayerKinds.all().size());
    }

    /** find() is a switch, so a layers line loads only the kinds it names: it must answer every name of all() with its kind. */
    @Test
    void findAnswersEveryNameOfEveryKindAndNothingElse() {
        for (LayerKind k : LayerKinds.all()) {
            for (String name : k.names()) assertSame(k, LayerKinds.find(name), name);
        }
        for (String other : List.of("", "Dense", "dense(4)", "lstm", "max_pool1d", WrongGradientDense.KIND)) assertNull(LayerKinds.find(other), other);
    }

    @Test
    void everyKindParsesBackFromWhatItPrints() {
        for (LayerSpec s : oneOfEach()) {
            assertEquals(List.of(s), LayerParser.parse(s.toString(), "t"), s.toString());
        }
        for (LayerKind k : LayerKinds.all()) {
            assertTrue(LayerKinds.allowed().contains(k.usage()), k.usage());
            for (String name : k.names()) {
                LayerSpec parsed = LayerParser.parse(k.example().replaceFirst("^[a-z0-9_]+", name), "t").get(0);
                assertEquals(LayerParser.parse(k.example(), "t").get(0), parsed, name + " is an alias of " + k.names().get(0));
            }
        }
    }

    @Test
    void everyKindAnswersShapeNameAndRole() {
        for (LayerSpec s : oneOfEach()) {
            Shape out = s.outputShape(input(s), "0");
            assertTrue(out.width() >= 1, s.toString());
            assertNotNull(s.pytorchName(), s.toString());
            assertNotNull(s.healthRole(), s.toString());
            if (s instanceof LayerSpec.TimeLayerSpec) {
                assertThrows(IllegalStateException.class, () -> s.outputWidth(6), s + " needs a shape, not a width");
                assertNull(s.onnxOp(), s.toString());
            } else {
                assertEquals(out.width(), s.outputWidth(input(s).width()), s.toString());
            }
        }
    }

    @Test
    void everyKindBuildsInFp32() {
        for (LayerSpec s : oneOfEach()) {
            Shape in = input(s);
            NetworkSpec spec = new NetworkSpec(in.width(), in.channels(), List.of(s), Set.of());
            Network net = new Network(spec, 2, false, 7L, MemoryPlan.builder());
            assertEquals(1, net.layers().size(), s.toString());
            assertEquals(s.outputShape(in, "0").width(), net.outputWidth(), s.toString());
            assertEquals(s.hasParameters(), net.trainableFloats() > 0, s + ": parameters as its descriptor says");
        }
    }

    @Test
    void everyKindBuildsInInt16OrSaysWhyNot() {
        for (LayerSpec s : oneOfEach()) {
            String refusal = s.int16Refusal(false, LossKind.MSE);
            String layer = s.int16Layer(new Int16Layers<String>() {
                public String dense(LayerSpec.Dense d) {
                    return "dense";
                }

                public String leakyRelu(float slope) {
                    return "leaky_relu";
                }

                public String dropout(float rate) {
                    return "dropout";
                }

                public String conv1d(LayerSpec.Conv1d spec) {
                    return "conv1d";
                }

                public String pool1d(LayerSpec.Pool1d spec) {
                    return spec.max() ? "maxpool1d" : "avgpool1d";
                }

                public String globalAvgPool1d() {
                    return "global_avgpool1d";
                }

                public String upsample1d(int factor) {
                    return "upsample1d";
                }

                public String flatten() {
                    return "flatten";
                }
            });
            if (refusal == null) {
                assertNotNull(layer, s + " has no refusal, so it must have an int16 layer");
                Shape in = input(s);
                FixedNetwork fixed = new FixedNetwork(new NetworkSpec(in.width(), in.channels(), List.of(s), Set.of()), 2, false, 7L,
                        MemoryPlan.builder());
                assertEquals(s.outputShape(in, "0").width(), fixed.lossWidth(), s.toString());
            } else {
                assertNull(layer, s + " refuses int16 (" + refusal + ") but names an int16 layer");
                assertFalse(refusal.isBlank(), s.toString());
                Shape in = input(s);
                NetworkSpec spec = new NetworkSpec(in.width(), in.channels(), List.of(s), Set.of());
                assertThrows(IllegalArgumentException.class, () -> new FixedNetwork(spec, 2, false, 7L, MemoryPlan.builder()), s.toString());
            }
        }
    }

    @Test
    void everyKindWithAnOnnxOperatorExportsIt() {
        for (LayerSpec s : oneOfEach()) {
            if (s.onnxOp() == null) continue;
            List<String> ops = new ArrayList<>();
            OnnxNodes g = new OnnxNodes() {
                public String node(String op, String what, String[] inputs, Object... attributes) {
                    ops.add(op);
                    return what + "_" + ops.size();
                }

                public String weight(String name) {
                    return name;
                }

                public String layer(LayerSpec spec, String name, String x) {
                    return spec.onnx(this, name, x);
                }
            };
            String out = s.onnx(g, "0", "x");
            assertNotNull(out, s.toString());
            if (s instanceof LayerSpec.Dropout) assertEquals("x", out, "dropout is the identity at inference");
            else assertTrue(ops.contains(s.onnxOp()), s + " exports " + ops + ", not its " + s.onnxOp());
        }
    }

    private static Shape input(LayerSpec s) {
        return s instanceof LayerSpec.TimeLayerSpec ? SEQUENCE : FLAT;
    }
}
