package io.oshigan.imaging;

import java.util.PriorityQueue;

/** Deflate's Huffman codes (RFC 1951 3.2.2): length-limited code lengths from frequencies, and the canonical codes. */
final class HuffmanCode {
    /** The longest code deflate allows. */
    static final int MAX_BITS = 15;

    private HuffmanCode() {
    }

    /**
     * Huffman code lengths no longer than {@code limit}. When the optimal code is too deep, the frequencies are
     * flattened (halved, kept non-zero) and the code rebuilt, as simple deflate encoders do. At least two symbols get
     * a code, so the code is complete, as inflaters require.
     */
    static int[] lengths(long[] frequencies, int limit) {
        long[] weights = frequencies.clone();
        int used = 0;
        for (long w : weights) {
            used += w > 0 ? 1 : 0;
        }
        for (int s = 0; used < 2; s++) {
            if (weights[s] == 0) {
                weights[s] = 1;
                used++;
            }
        }
        while (true) {
            int[] lengths = huffmanLengths(weights);
            int deepest = 0;
            for (int length : lengths) {
                deepest = Math.max(deepest, length);
            }
            if (deepest <= limit) {
                return lengths;
            }
            for (int s = 0; s < weights.length; s++) {
                if (weights[s] > 0) {
                    weights[s] = weights[s] >> 1 | 1;
                }
            }
        }
    }

    private static int[] huffmanLengths(long[] weights) {
        int symbols = weights.length;
        long[] weight = new long[2 * symbols];
        int[] parent = new int[2 * symbols];
        // ties broken by node number, so the same input always gives the same code
        PriorityQueue<Integer> queue = new PriorityQueue<>((a, b) -> weight[a] != weight[b]
                ? Long.compare(weight[a], weight[b]) : Integer.compare(a, b));
        for (int s = 0; s < symbols; s++) {
            weight[s] = weights[s];
            if (weights[s] > 0) {
                queue.add(s);
            }
        }
        int next = symbols;
        while (queue.size() > 1) {
            int a = queue.poll();
            int b = queue.poll();
            weight[next] = weight[a] + weight[b];
            parent[a] = next;
            parent[b] = next;
            queue.add(next++);
        }
        int root = next - 1;
        int[] depth = new int[next];
        for (int node = root - 1; node >= 0; node--) {
            if (node >= symbols || weights[node] > 0) {
                depth[node] = depth[parent[node]] + 1;
            }
        }
        int[] lengths = new int[symbols];
        for (int s = 0; s < symbols; s++) {
            lengths[s] = weights[s] > 0 ? depth[s] : 0;
        }
        return lengths;
    }

    /** RFC 1951 3.2.2's canonical codes, bit-reversed: deflate sends Huffman codes from their first bit, LSB-first. */
    static int[] reversedCanonicalCodes(int[] lengths) {
        int[] lengthCount = new int[MAX_BITS + 1];
        for (int length : lengths) {
            lengthCount[length]++;
        }
        lengthCount[0] = 0;
        int[] nextCode = new int[MAX_BITS + 2];
        int code = 0;
        for (int bits = 1; bits <= MAX_BITS; bits++) {
            code = (code + lengthCount[bits - 1]) << 1;
            nextCode[bits] = code;
        }
        int[] codes = new int[lengths.length];
        for (int s = 0; s < lengths.length; s++) {
            int length = lengths[s];
            if (length > 0) {
                codes[s] = Integer.reverse(nextCode[length]++) >>> (32 - length);
            }
        }
        return codes;
    }
}
