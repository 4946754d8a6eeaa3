package io.oshigan.trainer.training;

/** Running means of D's and G's losses over the current epoch. */
public final class LossMeans {
    private double sumD;
    private double sumG;
    private long countD;
    private long countG;

    public synchronized void add(float lossD, float lossG) {
        sumD += lossD;
        countD++;
        if (!Float.isNaN(lossG)) {
            sumG += lossG;
            countG++;
        }
    }

    public synchronized void reset() {
        sumD = sumG = 0;
        countD = countG = 0;
    }

    public synchronized double meanD() {
        return countD == 0 ? 0 : sumD / countD;
    }

    public synchronized double meanG() {
        return countG == 0 ? 0 : sumG / countG;
    }
}
