package io.oshigan.dcgan;

import io.oshigan.contracts.CheckpointLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.oshigan.dcgan.NetworkShapesAndGradientsTest.noise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointsTest {
    static final Architecture SMALL = NetworkShapesAndGradientsTest.SMALL;
    static final SessionThreads FIXED = new SessionThreads(1, 1);

    @Test
    void resumingFromACheckpointContinuesBitForBit(@TempDir Path dir) {
        try (TrainingGraph original = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(11).threads(FIXED).fixedNoise(4).build();
             TrainingGraph resumed = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                     .seed(99).threads(FIXED).fixedNoise(4).build();
             TFloat32 real = noise(3, 1, 96, 96, 3); TFloat32 z1 = noise(3, 2); TFloat32 z2 = noise(3, 3)) {
            original.trainDiscriminator(real, z1);
            original.trainGenerator(z2);
            original.setState(new TrainingState(2, 1, 1, 30, 4242, new float[4 * SMALL.nz()]));
            CheckpointManifest manifest = Checkpoints.write(original, dir, 123, 1.5, 0.7, Instant.parse("2026-11-29T00:00:00Z"));
            assertThat(manifest.step()).isEqualTo(2);
            assertThat(manifest.datasetSize()).isEqualTo(123);

            Checkpoints.restore(resumed, dir);
            assertThat(resumed.state().seed()).isEqualTo(4242);
            assertThat(resumed.state().epoch()).isEqualTo(1);
            assertThat(resumed.state().batchInEpoch()).isEqualTo(1);
            assertThat(resumed.state().epochDatasetSize()).isEqualTo(30);
            for (TrainingGraph graph : List.of(original, resumed)) {
                graph.trainDiscriminator(real, z2);
                graph.trainGenerator(z1);
            }
            for (String name : allVariables(original)) {
                assertThat(resumed.variables().read(name)).as(name).isEqualTo(original.variables().read(name));
            }
            assertThat(resumed.generateTrainingMode(z1)).isEqualTo(original.generateTrainingMode(z1));
        }
    }

    @Test
    void theInferenceGraphAndTheSavedModelGiveTheSameImages(@TempDir Path dir) {
        try (TrainingGraph training = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(5).threads(FIXED).fixedNoise(4).build();
             TFloat32 real = noise(3, 1, 96, 96, 3); TFloat32 z = noise(5, 2)) {
            training.trainDiscriminator(real, z);
            training.trainGenerator(z);
            Checkpoints.write(training, dir, 10, 1, 1, Instant.now());

            float[] expected;
            try (InferenceGraph fromWeights = new InferenceGraph(SMALL, FIXED)) {
                fromWeights.initialize();
                for (BatchNormVariables bn : training.generator().norms()) {
                    for (String name : List.of(bn.gamma().op().name(), bn.beta().op().name(), bn.mean().op().name(),
                            bn.variance().op().name())) {
                        fromWeights.variables().write(name, training.variables().read(name));
                    }
                }
                for (int i = 0; i < 5; i++) {
                    fromWeights.variables().write("G_w" + i, training.variables().read("G_w" + i));
                }
                expected = fromWeights.generate(z);
            }
            try (InferenceGraph restored = Checkpoints.loadGenerator(dir, FIXED)) {
                assertThat(restored.generate(z)).isEqualTo(expected);
            }
            try (SavedModelBundle bundle = SavedModelBundle.load(dir.resolve(CheckpointLayout.GENERATOR_DIR).toString(), "serve");
                 Result result = bundle.function(InferenceGraph.SIGNATURE_KEY).call(Map.of(InferenceGraph.INPUT, z))) {
                Tensor image = result.get(InferenceGraph.OUTPUT).orElseThrow();
                assertThat(Tensors.values((TFloat32) image)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRefusedWithBothShapes(@TempDir Path dir) {
        try (TrainingGraph small = TrainingGraph.builder(SMALL, Hyperparameters.reference())
                .seed(5).threads(FIXED).fixedNoise(4).build();
             TrainingGraph wider = TrainingGraph.builder(new Architecture(20, 16, 8), Hyperparameters.reference())
                     .seed(5).threads(FIXED).fixedNoise(4).build()) {
            Checkpoints.write(small, dir, 1, 1, 1, Instant.now());
            assertThatThrownBy(() -> Checkpoints.restore(wider, dir))
                    .isInstanceOf(IncompatibleCheckpointException.class)
                    .hasMessageContaining("holds a model with nz=20, ngf=8, ndf=8; this model has nz=20, ngf=16, ndf=8");
        }
    }

    @Test
    void somethingThatIsNotACheckpointIsRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Checkpoints.readManifest(dir)).hasMessageContaining("has no manifest.json");
        Files.writeString(dir.resolve(CheckpointLayout.MANIFEST), "{\"formatVersion\": 7, \"architecture\": {\"nz\":1,\"ngf\":1,\"ndf\":1}}");
        assertThatThrownBy(() -> Checkpoints.readManifest(dir)).hasMessageContaining("has checkpoint format 7; this version reads format 1");
        Files.writeString(dir.resolve(CheckpointLayout.MANIFEST), "{\"formatVersion\": 1, \"architecture\": {\"nz\":20,\"ngf\":8,\"ndf\":8}}");
        assertThatThrownBy(() -> Checkpoints.loadGenerator(dir, FIXED))
                .isInstanceOf(IncompatibleCheckpointException.class)
                .hasMessageContaining("does not fit its manifest");
    }

    private static List<String> allVariables(TrainingGraph graph) {
        List<String> names = new java.util.ArrayList<>();
        graph.generator().trainable().forEach(v -> names.add(v.op().name()));
        graph.discriminator().trainable().forEach(v -> names.add(v.op().name()));
        graph.generator().norms().forEach(n -> names.addAll(List.of(n.mean().op().name(), n.variance().op().name())));
        graph.discriminator().norms().forEach(n -> names.addAll(List.of(n.mean().op().name(), n.variance().op().name())));
        names.addAll(List.of("G_w0_m", "G_w0_v", "D_w3_m", "D_w3_v", "adam_g_t", "adam_d_t"));
        return names;
    }
}
