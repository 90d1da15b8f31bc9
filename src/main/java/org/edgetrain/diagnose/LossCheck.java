package org.edgetrain.diagnose;

import org.edgetrain.monitor.Finding;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.edgetrain.data.CsvTable;
import org.edgetrain.loss.LossKind;
import org.edgetrain.nn.HealthRole;
import org.edgetrain.nn.LayerSpec;
import org.edgetrain.nn.NetworkSpec;

/**
 * Whether the loss fits the task and the output layer: a regression loss on what are class labels, cross-entropy on
 * numbers, a softmax or sigmoid where the loss does not expect one.
 */
public final class LossCheck {
    /** At most this many distinct whole-number targets look like classes rather than a measured quantity. */
    public static final int CLASS_LIKE = 30;

    private LossCheck() {
    }

    public static List<Finding> run(CsvTable t, List<String> labels, LossKind loss, NetworkSpec net) {
        List<Finding> out = new java.util.ArrayList<>();
        List<LayerSpec> layers = net.layers();
        LayerSpec last = layers.get(layers.size() - 1);
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i).appliedByLoss(LossKind.CROSS_ENTROPY)) { // softmax: the layer cross_entropy applies itself
                out.add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "layer " + i,
                        "softmax inside the network squashes every unit against the others and its gradient is tiny",
                        "use softmax only last (or not at all: cross_entropy applies it)"));
            }
        }
        TreeSet<Float> distinct = new TreeSet<>();
        boolean whole = true;
        int c = labels.size() == 1 ? t.column(labels.get(0)) : -1;
        if (c >= 0) {
            for (int r = 0; r < t.rows() && distinct.size() <= CLASS_LIKE; r++) {
                float v = t.value(r, c);
                if (!Float.isFinite(v)) continue;
                distinct.add(v);
                if (v != Math.rint(v)) whole = false;
            }
        }
        boolean classLike = c >= 0 && whole && distinct.size() >= 3 && distinct.size() <= CLASS_LIKE && distinct.first() >= 0;
        switch (loss) {
            case MSE, HUBER -> {
                if (classLike && net.outputs() == 1) {
                    int k = (int) (float) distinct.last() + 1;
                    out.add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "loss " + loss.configName(),
                            String.format(Locale.ROOT, "'%s' holds %d distinct whole numbers %s..%s, which look like class labels; %s "
                                    + "on one output treats class 7 as closer to 8 than to 1 and predicts numbers between classes",
                                    labels.get(0), distinct.size(), DataCheck.num(distinct.first()), DataCheck.num(distinct.last()),
                                    loss.configName()),
                            "loss.type = cross_entropy with one output per class (model.outputs = " + k + ", or dense(" + k + ") last)"));
                }
                if (last.appliedByLoss(LossKind.CROSS_ENTROPY)) {
                    out.add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "loss " + loss.configName(),
                            "a final softmax makes the outputs sum to 1, which " + loss.configName() + " targets rarely do",
                            "remove the softmax, or use loss.type = cross_entropy for classes"));
                }
            }
            case CROSS_ENTROPY -> {
                if (c >= 0 && !whole) {
                    out.add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "loss cross_entropy",
                            "'" + labels.get(0) + "' holds fractional numbers, a regression target, not class indices",
                            "loss.type = mse (or huber) with one output per target column"));
                }
                if (last.healthRole() == HealthRole.SATURATING) { // sigmoid, tanh
                    out.add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "loss cross_entropy",
                            "the network ends with " + last + ", so the logits cross_entropy reads are squashed into a narrow range",
                            "end with dense(classes); cross_entropy applies the softmax itself"));
                }
            }
            case BCE -> {
                if (last.appliedByLoss(LossKind.CROSS_ENTROPY)) {
                    out.add(new Finding(Finding.Kind.LOSS_MISMATCH, Finding.Severity.PROBLEM, "loss bce",
                            "a final softmax couples outputs that bce treats as independent yes/no answers",
                            "end with dense(outputs) (bce applies a sigmoid itself), or use cross_entropy for one-of-K classes"));
                }
            }
        }
        return out;
    }
}
