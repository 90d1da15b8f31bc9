package org.edgetrain.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.edgetrain.loss.LossKind;
import org.junit.jupiter.api.Test;

/** Each layer kind's descriptor answers for itself: width, health role, PyTorch and ONNX names, int16 or why not. */
class LayerDescriptorTest {
    static final List<LayerSpec> ONE_OF_EACH = List.of(new LayerSpec.Dense(5, Init.AUTO, true), new LayerSpec.LeakyRelu(0.01f),
            new LayerSpec.Relu(), new LayerSpec.PRelu(false, 0.25f), new LayerSpec.Sigmoid(), new LayerSpec.Tanh(), new LayerSpec.Softmax(),
            new LayerSpec.Dropout(0.1f), new LayerSpec.BatchNorm(1e-5f, 0.1f), new LayerSpec.Residual(List.of(new LayerSpec.Tanh())));

    @Test
    void everyKindNamesItsPyTorchModuleAndWidth() {
        for (LayerSpec s : ONE_OF_EACH) {
            assertNotNull(s.pytorchName(), s.toString());
            assertEquals(s instanceof LayerSpec.Dense ? 5 : 7, s.outputWidth(7), s.toString());
        }
        assertEquals("nn.Linear", new LayerSpec.Dense(3, Init.AUTO, true).pytorchName());
        assertEquals("Gemm", new LayerSpec.Dense(3, Init.AUTO, true).onnxOp());
    }

    @Test
    void healthRolesFollowTheKind() {
        assertEquals(HealthRole.RELU_FAMILY, new LayerSpec.Relu().healthRole());
        assertEquals(HealthRole.RELU_FAMILY, new LayerSpec.LeakyRelu(0f).healthRole());
        assertEquals(HealthRole.NONE, new LayerSpec.LeakyRelu(0.01f).healthRole()); // leaky units cannot die
        assertEquals(HealthRole.SATURATING, new LayerSpec.Sigmoid().healthRole());
        assertEquals(HealthRole.SATURATING, new LayerSpec.Tanh().healthRole());
        assertEquals(HealthRole.NORMALIZING, new LayerSpec.BatchNorm(1e-5f, 0.1f).healthRole());
    }

    @Test
    void int16LayersExistExactlyWhereTheFixedNetworkHasThem() {
        for (LayerSpec s : ONE_OF_EACH) {
            boolean int16 = s instanceof LayerSpec.Dense || s instanceof LayerSpec.LeakyRelu || s instanceof LayerSpec.Relu
                    || s instanceof LayerSpec.Dropout;
            if (int16) assertNull(s.int16Refusal(false, LossKind.MSE), s.toString());
            else assertNotNull(s.int16Refusal(false, LossKind.MSE), s.toString());
        }
        assertNull(new LayerSpec.Softmax().int16Refusal(true, LossKind.CROSS_ENTROPY), "a final softmax is the loss's");
        assertNotNull(new LayerSpec.Softmax().int16Refusal(true, LossKind.MSE));
        assertNull(new LayerSpec.Sigmoid().int16Refusal(true, LossKind.BCE));
        assertNotNull(new LayerSpec.Dropout(0.6f).int16Refusal(false, LossKind.MSE));
        assertNotNull(new LayerSpec.LeakyRelu(1.5f).int16Refusal(false, LossKind.MSE));
    }
}
