package io.oshigan.gateway.storage;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class GridsTest {
    private static List<Integer> epochs(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    @Test
    void fewGridsAreAllTaken() {
        assertThat(Grids.spread(epochs(3), 24)).containsExactly(0, 1, 2);
        assertThat(Grids.spread(epochs(24), 24)).hasSize(24);
        assertThat(Grids.spread(List.of(), 24)).isEmpty();
    }

    @Test
    void manyGridsAreThinnedEvenlyFromTheFirstToTheLast() {
        for (int count : new int[]{25, 30, 100, 1001}) {
            List<Integer> picked = Grids.spread(epochs(count), 24);
            assertThat(picked).as("%d grids", count).hasSize(24).doesNotHaveDuplicates().isSorted();
            assertThat(picked.get(0)).isZero();
            assertThat(picked.get(23)).isEqualTo(count - 1);
            double even = (count - 1) / 23.0;
            for (int i = 1; i < picked.size(); i++) {
                assertThat(picked.get(i) - picked.get(i - 1)).as("gap %d of %d grids", i, count)
                        .isBetween((int) Math.floor(even), (int) Math.ceil(even));
            }
        }
    }
}
