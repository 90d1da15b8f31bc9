package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.edgetrain.loss.LossKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Finite differences for every time layer, padding mode, stride and dilation: the float forward, every parameter
 * gradient and the input gradient of the layer under test (index 1, behind a trainable 1×1 convolution so that it
 * must produce one), against the double {@link TimeReference} through {@link GradientHarness}.
 */
class TimeLayersGradientTest {
    private static final LayerSpec.Padding VALID = LayerSpec.Padding.VALID, SAME = LayerSpec.Padding.SAME,
            CAUSAL = LayerSpec.Padding.CAUSAL;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("conv1d valid k3", conv(4, 3, 1, VALID, 1)),
                Arguments.of("conv1d valid k1", conv(2, 1, 1, VALID, 1)),
                Arguments.of("conv1d stride 2", conv(3, 3, 2, VALID, 1)),
                Arguments.of("conv1d stride 3 kernel 2 (steps left over)", conv(3, 2, 3, VALID, 1)),
                Arguments.of("conv1d dilation 2", conv(3, 3, 1, VALID, 2)),
                Arguments.of("conv1d dilation 2 stride 2", conv(3, 2, 2, VALID, 2)),
                Arguments.of("conv1d same k3", conv(3, 3, 1, SAME, 1)),
                Arguments.of("conv1d same k4 (even: one more on the right)", conv(3, 4, 1, SAME, 1)),
                Arguments.of("conv1d same k3 dilation 3", conv(2, 3, 1, SAME, 3)),
                Arguments.of("conv1d causal k3", conv(3, 3, 1, CAUSAL, 1)),
                Arguments.of("conv1d causal k2 dilation 2 stride 2", conv(3, 2, 2, CAUSAL, 2)),
                Arguments.of("conv1d no bias", new LayerSpec.Conv1d(3, 3, 1, VALID, 1, false)),
                Arguments.of("maxpool1d k2", new LayerSpec.Pool1d(true, 2, 2)),
                Arguments.of("maxpool1d k3 stride 1 (overlapping windows)", new LayerSpec.Pool1d(true, 3, 1)),
                Arguments.of("maxpool1d k2 stride 3 (gaps)", new LayerSpec.Pool1d(true, 2, 3)),
                Arguments.of("avgpool1d k3", new LayerSpec.Pool1d(false, 3, 3)),
                Arguments.of("avgpool1d k3 stride 2", new LayerSpec.Pool1d(false, 3, 2)),
                Arguments.of("global_avgpool1d", new LayerSpec.GlobalAvgPool1d()),
                Arguments.of("upsample1d 3", new LayerSpec.Upsample1d(3)),
                Arguments.of("flatten", new LayerSpec.Flatten()),
                Arguments.of("gru last step", new LayerSpec.Gru(4, false)),
                Arguments.of("gru all steps", new LayerSpec.Gru(3, true)));
    }

    private static LayerSpec conv(int out, int k, int stride, LayerSpec.Padding p, int dilation) {
        return new LayerSpec.Conv1d(out, k, stride, p, dilation, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void gradientsMatchFiniteDifferences(String what, LayerSpec layer) {
        // 9 steps × 2 channels → 1×1 conv to 3 channels → the layer → (flatten) → dense(3), MSE
        NetworkSpec.Builder b = NetworkSpec.builder(18).channels(2).conv1d(3, 1).add(layer);
        Shape after = b.build().shapes().get(1);
        if (after.sequence()) b.flatten();
        NetworkSpec spec = b.dense(3).build();
        GradientHarness h = new GradientHarness(spec, 3, LossKind.MSE, 11L).randomize(11, 1.0);
        h.run(true);
        h.assertAll(true, 1);
    }

    @ParameterizedTest(name = "{0} as the last layer")
    @MethodSource("layers")
    void gradientsMatchFiniteDifferencesWhenTheLayerFeedsTheLoss(String what, LayerSpec layer) {
        NetworkSpec spec = NetworkSpec.builder(14).channels(2).conv1d(2, 2).add(layer).build();
        GradientHarness h = new GradientHarness(spec, 2, LossKind.MSE, 12L).randomize(12, 1.0);
        h.run(true);
        h.assertAll(true, 1);
        assertEquals(spec.shapes().get(1).width(), h.net.lossWidth());
    }
}
