package io.oshigan.dcgan.translate;

import io.oshigan.imaging.PngWriter;

import java.util.Arrays;

/**
 * Where n faces go in a grid of {@code columns}: 2 px gaps around and between them, none around a single face; a last
 * row that is not full leaves its cells black.
 */
record GridLayout(int n, int columns, int faceRows, int cell, int offset, int width, int height) {
    static final int SIZE = FaceImages.SIZE;
    private static final int GAP = 2;

    static GridLayout of(int n, int columns) {
        if (n == 1) {
            return new GridLayout(1, 1, 1, SIZE, 0, SIZE, SIZE);
        }
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int cell = SIZE + GAP;
        return new GridLayout(n, cols, rows, cell, GAP, cols * cell + GAP, rows * cell + GAP);
    }

    /** The first pixel row of a row of faces (the image's height for the row after the last). */
    int top(int faceRow) {
        return faceRow >= faceRows ? height : offset + faceRow * cell;
    }

    /**
     * The image's pixel rows as RGB bytes, from faces [first, end) only, face {@code base} being the first in
     * {@code pixels} ([faces, 96, 96, 3] in [-1, 1]); every other cell and the gaps stay black.
     */
    PngWriter.Rows pixelRows(float[] pixels, int first, int end, int base) {
        return (y, out) -> {
            Arrays.fill(out, (byte) 0);
            int inCells = y - offset;
            int faceRow = inCells < 0 ? -1 : inCells / cell;
            int line = inCells - faceRow * cell;
            if (faceRow < 0 || faceRow >= faceRows || line >= SIZE) {
                return; // a gap
            }
            for (int c = 0; c < columns; c++) {
                int k = faceRow * columns + c;
                if (k < first || k >= end) {
                    continue;
                }
                int from = ((k - base) * SIZE + line) * SIZE * 3;
                int to = (offset + c * cell) * 3;
                for (int i = 0; i < SIZE * 3; i++) {
                    out[to + i] = (byte) FaceImages.toByte(pixels[from + i]);
                }
            }
        };
    }
}
