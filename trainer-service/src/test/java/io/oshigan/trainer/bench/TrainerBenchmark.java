package io.oshigan.trainer.bench;

import io.oshigan.dcgan.Architecture;
import io.oshigan.dcgan.Hyperparameters;
import io.oshigan.dcgan.Precision;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import io.oshigan.dcgan.TrainingGraph;
import io.oshigan.trainer.domain.FaceDataset;
import io.oshigan.dcgan.translate.FacePixels;
import io.oshigan.trainer.domain.ImageCache;
import io.oshigan.trainer.domain.RunRandom;
import io.oshigan.trainer.domain.RunSettings;
import io.oshigan.trainer.domain.SyntheticFaces;
import io.oshigan.trainer.training.TrainingRun;
import org.tensorflow.types.TFloat32;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Images per second of the whole training loop (batch assembly from the cache, noise, tensors, D and G steps)
 * against the bare libs/dcgan step on ready tensors, at the reference size. Not a test: trainer-service/bench/run.sh.
 */
public final class TrainerBenchmark {
    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Architecture arch = Architecture.reference();
        Path work = Files.createTempDirectory("trainer-bench");
        try (FaceDataset data = new FaceDataset(new ImageCache(1L << 30, work))) {
            for (int i = 0; i < 1024; i++) {
                data.offer(String.format("%05d", i), FacePixels.fromImage(SyntheticFaces.face(1, i)));
            }
            for (int batch : new int[]{64, 128}) {
                row("", data, arch, Hyperparameters.reference(), batch, RunSettings.DEFAULT_GENERATOR_EVERY, batches);
            }
            // the demo's run (./oshigan run --demo): narrow layers, G every batch, both precisions; a loop cost that
            // is fixed per batch weighs more against its 4x cheaper steps
            Architecture demo = Architecture.demo();
            for (Precision precision : Precision.values()) {
                row(" demo size (ngf/ndf " + demo.ngf() + ", G every batch, " + precision + ")", data, demo,
                        Hyperparameters.reference().in(precision), 64, 1, 4 * batches);
            }
        }
    }

    private static void row(String label, FaceDataset data, Architecture arch, Hyperparameters hyperparameters, int batch,
                            int generatorEvery, int batches) throws Exception {
        RunSettings settings = new RunSettings("bench", arch, hyperparameters, batch, generatorEvery, 1, batch, 10, 15, 64, null);
        double loop;
        try (TrainingRun run = new TrainingRun(settings, data, SessionThreads.defaults())) {
            run.trainBatch();
            run.trainBatch();
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                run.trainBatch();
            }
            loop = batches * batch / ((System.nanoTime() - start) / 1e9);
        }
        long rss = rssMb();
        double bare;
        try (TrainingGraph graph = TrainingGraph.builder(arch, hyperparameters).seed(1).threads(SessionThreads.defaults()).build();
             TFloat32 real = Tensors.of(data.batch(java.util.stream.IntStream.range(0, batch).toArray()), batch, 96, 96, 3);
             TFloat32 z = Tensors.of(RunRandom.noiseForDiscriminatorStep(1, 0, batch, arch.nz()), batch, 1, 1, arch.nz())) {
            for (int i = 0; i < 2; i++) {
                graph.trainDiscriminator(real, z);
            }
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                graph.trainDiscriminator(real, z);
                if ((i + 1) % generatorEvery == 0) {
                    graph.trainGenerator(z);
                }
            }
            bare = batches * batch / ((System.nanoTime() - start) / 1e9);
        }
        System.out.printf("batch %d%s: trainer loop %.1f images/s, bare libs/dcgan steps %.1f images/s, ratio %.2f; RSS %d MB%n",
                batch, label, loop, bare, loop / bare, rss);
    }

    private static long rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
