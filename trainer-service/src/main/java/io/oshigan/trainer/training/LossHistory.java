package io.oshigan.trainer.training;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Loss points for charts, one every few steps, bounded. */
public final class LossHistory {
    public record Point(long step, long epoch, double lossD, double lossG) {
    }

    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();

    public LossHistory(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(Point point) {
        if (points.size() == capacity) {
            points.removeFirst();
        }
        points.addLast(point);
    }

    public synchronized List<Point> since(long step) {
        return new ArrayList<>(points.stream().filter(p -> p.step() > step).toList());
    }

    public synchronized void clear() {
        points.clear();
    }
}
