package org.edgetrain.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Layers registered by name, so the layers language can name them ({@code name(units)}). {@link Layer}'s planning
 * contract is package-private, so a factory lives in this package: the hook is for tests (a layer with a deliberately
 * wrong gradient, which the gradient check must catch) and for layers added to edgetrain itself.
 */
public final class CustomLayers {
    /** Makes the layer at position {@code name} with input width {@code in}. */
    public interface Factory {
        Layer create(String name, int in, int units, boolean frozen);
    }

    private static final Map<String, Factory> FACTORIES = new ConcurrentHashMap<>();

    private CustomLayers() {
    }

    public static void register(String kind, Factory factory) {
        FACTORIES.put(kind, factory);
    }

    public static void unregister(String kind) {
        FACTORIES.remove(kind);
    }

    public static boolean has(String kind) {
        return FACTORIES.containsKey(kind);
    }

    static Layer create(LayerSpec.Custom spec, String name, int in, boolean frozen) {
        Factory f = FACTORIES.get(spec.kind());
        if (f == null) throw new IllegalArgumentException("no layer '" + spec.kind() + "' is registered");
        return f.create(name, in, spec.units(), frozen);
    }
}
