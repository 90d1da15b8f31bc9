package org.edgetrain.io.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An ONNX graph under construction: nodes in execution order, fp32 initializers, one float input {@code [N, inputs]}
 * and one float output {@code [N, outputs]} (N symbolic: any batch). Field numbers are those of onnx.proto3.
 */
final class OnnxGraph {
    /** IR version 8 and opset 17: read by every ONNX Runtime since 1.13. */
    static final long IR_VERSION = 8, OPSET = 17;
    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2;

    private final Protobuf graph = new Protobuf();
    private int counter;

    OnnxGraph(String name) {
        graph.string(2, name); // GraphProto.name
    }

    /** A fresh value name, e.g. {@code dense_3}. */
    String fresh(String what) {
        return what + "_" + (counter++);
    }

    /** An fp32 initializer (a constant tensor) named {@code name}. */
    String constant(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) raw.putFloat(v);
        Protobuf t = new Protobuf().packed(1, dims).varint(2, FLOAT).string(8, name).bytes(9, raw.array()); // dims, data_type, name, raw_data
        graph.message(5, t); // GraphProto.initializer
        return name;
    }

    /** A node with float/int attributes given as alternating name, value pairs; returns its single output's name. */
    String node(String op, String[] inputs, String output, Object... attributes) {
        Protobuf n = new Protobuf();
        for (String in : inputs) n.string(1, in);
        n.string(2, output).string(3, output).string(4, op); // output, name, op_type
        for (int i = 0; i < attributes.length; i += 2) {
            Protobuf a = new Protobuf().string(1, (String) attributes[i]);
            Object v = attributes[i + 1];
            if (v instanceof Float f) a.f32(2, f).varint(20, ATTR_FLOAT);
            else a.varint(3, ((Number) v).longValue()).varint(20, ATTR_INT);
            n.message(5, a);
        }
        graph.message(1, n); // GraphProto.node
        return output;
    }

    /** Declares the graph's input (field 11) or output (field 12): float [N, width]. */
    void io(boolean input, String name, int width) {
        Protobuf shape = new Protobuf()
                .message(1, new Protobuf().string(2, "N"))      // dim_param: any batch
                .message(1, new Protobuf().varint(1, width));   // dim_value
        Protobuf tensorType = new Protobuf().varint(1, FLOAT).message(2, shape);
        Protobuf valueInfo = new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensorType));
        graph.message(input ? 11 : 12, valueInfo);
    }

    /** The whole ModelProto: IR version, producer, the graph, the default-domain opset. */
    byte[] model(String producerVersion, String doc) {
        graph.string(10, doc); // GraphProto.doc_string
        return new Protobuf().varint(1, IR_VERSION).string(2, "edgetrain").string(3, producerVersion)
                .message(7, graph)
                .message(8, new Protobuf().string(1, "").varint(2, OPSET))
                .toByteArray();
    }
}
