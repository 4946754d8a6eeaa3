package io.oshigan.dcgan.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A tensor's values out of its storage's little-endian bytes, walking its shape with its strides (already checked to fit). */
final class StorageValues {
    private StorageValues() {
    }

    static float[] read(byte[] bytes, String type, long offset, long[] shape, long[] strides, int count) {
        float[] values = new float[count];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[shape.length];
        for (int i = 0; i < values.length; i++) {
            long element = offset;
            for (int d = 0; d < shape.length; d++) {
                element += index[d] * strides[d];
            }
            values[i] = element(buffer, type, (int) element);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return values;
    }

    private static float element(ByteBuffer buffer, String type, int element) {
        return switch (type) {
            case "FloatStorage" -> buffer.getFloat(element * 4);
            case "DoubleStorage" -> (float) buffer.getDouble(element * 8);
            case "LongStorage" -> buffer.getLong(element * 8);
            case "IntStorage" -> buffer.getInt(element * 4);
            default -> buffer.get(element);
        };
    }
}
