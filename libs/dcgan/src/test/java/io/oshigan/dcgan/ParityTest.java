package io.oshigan.dcgan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers from the reference PyTorch model (libs/dcgan/parity/make_fixtures.py) against ours. */
class ParityTest {
    static final JsonNode parity = readParity();
    static final Architecture architecture =
            new Architecture(parity.get("nz").asInt(), parity.get("ngf").asInt(), parity.get("ndf").asInt());
    static TrainingGraph training;

    @BeforeAll
    static void load() {
        training = referenceGraph();
    }

    /** A training graph of its own with the reference's initial weights: a test that trains it changes no other. */
    static TrainingGraph referenceGraph() {
        Hyperparameters hp = new Hyperparameters((float) parity.get("lrG").asDouble(), (float) parity.get("lrD").asDouble(),
                (float) parity.get("beta1").asDouble(), (float) parity.get("beta2").asDouble(),
                Hyperparameters.DEFAULT_ADAM_EPSILON, Hyperparameters.DEFAULT_BN_EPSILON,
                Hyperparameters.DEFAULT_BN_MOMENTUM, Hyperparameters.DEFAULT_LEAKY_SLOPE, Hyperparameters.DEFAULT_REAL_LABEL,
                Precision.FP32);
        TrainingGraph graph = TrainingGraph.builder(architecture, hp).seed(7).threads(new SessionThreads(1, 1)).build();
        for (String name : variableNames()) {
            graph.variables().write(name, Npy.resource(name).data());
        }
        return graph;
    }

    private static JsonNode readParity() {
        try {
            return new ObjectMapper().readTree(ParityTest.class.getResourceAsStream("/parity/parity.json"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the parity fixture /parity/parity.json cannot be read", e);
        }
    }

    @AfterAll
    static void close() {
        training.close();
    }

    static List<String> variableNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add("G_w" + i);
            names.add("D_w" + i);
        }
        for (String field : List.of("gamma", "beta", "mean", "var")) {
            for (int i = 0; i < 4; i++) {
                names.add("G_bn" + i + "_" + field);
            }
            for (int i = 1; i <= 3; i++) {
                names.add("D_bn" + i + "_" + field);
            }
        }
        return names;
    }

    static TFloat32 tensor(String name) {
        Npy npy = Npy.resource(name);
        return Tensors.of(npy.data(), npy.shape());
    }

    static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void generatorInTrainingModeMatches() {
        try (TFloat32 z = tensor("z")) {
            assertThat(maxAbsDiff(training.generateTrainingMode(z), Npy.resource("G_train").data())).isLessThan(1e-5f);
        }
    }

    @Test
    void discriminatorMatches() {
        try (TFloat32 real = tensor("real")) {
            assertThat(maxAbsDiff(training.discriminate(real), Npy.resource("D_real").data())).isLessThan(1e-5f);
        }
    }

    @Test
    void generatorInInferenceModeMatches() {
        try (InferenceGraph inference = new InferenceGraph(architecture, new SessionThreads(1, 1));
             TFloat32 z = tensor("z")) {
            inference.initialize();
            for (String name : variableNames()) {
                if (name.startsWith("G_")) {
                    inference.variables().write(name, Npy.resource(name).data());
                }
            }
            assertThat(maxAbsDiff(inference.generate(z), Npy.resource("G_eval").data())).isLessThan(1e-5f);
        }
    }
}
