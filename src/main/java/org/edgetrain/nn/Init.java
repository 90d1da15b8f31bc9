package org.edgetrain.nn;

import java.util.Locale;

/**
 * Weight initialization of a dense layer. Biases start at zero except for {@link #PYTORCH}.
 *
 * <p>{@code AUTO} picks He (Kaiming) for a layer followed by the ReLU family, with the gain
 * {@code √(2 / (1 + slope²))}, and Xavier (Glorot) otherwise: the choice that keeps activation variance steady
 * through depth, which is what stops gradients from vanishing or exploding at the start.
 */
public enum Init {
    AUTO,
    XAVIER_UNIFORM,
    XAVIER_NORMAL,
    HE_UNIFORM,
    HE_NORMAL,
    /** PyTorch's nn.Linear default: W and b ~ U(−1/√fan_in, 1/√fan_in). */
    PYTORCH;

    /** The config spelling, e.g. {@code he_normal}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Init parse(String s) {
        for (Init i : values()) if (i.configName().equals(s)) return i;
        return null;
    }

    public static String allowed() {
        StringBuilder sb = new StringBuilder();
        for (Init i : values()) sb.append(sb.length() == 0 ? "" : ", ").append(i.configName());
        return sb.toString();
    }
}
