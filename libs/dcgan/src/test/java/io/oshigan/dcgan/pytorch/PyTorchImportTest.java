package io.oshigan.dcgan.pytorch;

import io.oshigan.dcgan.CheckpointManifest;
import io.oshigan.dcgan.Checkpoints;
import io.oshigan.dcgan.InferenceGraph;
import io.oshigan.dcgan.ServingGraph;
import io.oshigan.dcgan.SessionThreads;
import io.oshigan.dcgan.Tensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PyTorchImportTest {

    @Test
    void theReferenceStateDictSavedOnCudaImportsAndGivesPyTorchsImages(@TempDir Path dir) throws Exception {
        CheckpointManifest manifest;
        try (InputStream pth = getClass().getResourceAsStream("/parity/model_G_parity.pth")) {
            manifest = PyTorchImport.toCheckpoint(pth, dir, Instant.now());
        }
        assertThat(manifest.architecture().nz()).isEqualTo(16);
        assertThat(manifest.architecture().ngf()).isEqualTo(8);
        float[] expected = io.oshigan.dcgan.NpyAccess.read("G_eval");
        float[] z = io.oshigan.dcgan.NpyAccess.read("z");
        try (InferenceGraph generator = Checkpoints.loadGenerator(dir, SessionThreads.defaults());
             ServingGraph serving = ServingGraph.of(generator, SessionThreads.defaults());
             TFloat32 latents = Tensors.of(z, 4, 1, 1, 16)) {
            // the graph checkpoints restore into, and the rewritten one the sampler serves
            assertCloseToPyTorch("imported generator", generator.generate(latents), expected);
            assertCloseToPyTorch("its serving graph", serving.generate(latents), expected);
        }
    }

    private static void assertCloseToPyTorch(String what, float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        float max = 0;
        for (int i = 0; i < actual.length; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("%s vs PyTorch eval mode: max |diff| %.2e (1/255 = %.2e)%n", what, max, 1 / 255f);
        // [-1, 1] spans 255 levels in two units: 1/255 per channel in 0..255 is 2/255 here
        assertThat(max).as(what).isLessThan(2f / 255f);
    }

    @Test
    void aPickleNamingAnyOtherGlobalIsRefusedWithoutRunningIt() throws Exception {
        byte[] evil = "cos\nsystem\n(S'touch /tmp/oshigan-pwned'\ntR.".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> StateDictReader.read(zip("archive/data.pkl", evil)))
                .isInstanceOf(PyTorchImportException.class)
                .hasMessageContaining("the global os.system, which a state_dict never uses");
        assertThat(Path.of("/tmp/oshigan-pwned")).doesNotExist();
        byte[] builtins = "\u0080\u0002cbuiltins\neval\nq\u0000X\u0004\u0000\u0000\u00001+1q\u0001\u0085q\u0002Rq\u0003."
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> StateDictReader.read(zip("archive/data.pkl", builtins)))
                .hasMessageContaining("builtins.eval");
    }

    @Test
    void filesThatAreNotAStateDictAreRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> StateDictReader.read(new ByteArrayInputStream("not a zip".getBytes())))
                .hasMessageContaining("not a PyTorch checkpoint");
        byte[] aList = "\u0080\u0002]q\u0000.".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> StateDictReader.read(zip("archive/data.pkl", aList)))
                .hasMessageContaining("not a state_dict");
    }

    private static InputStream zip(String name, byte[] content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }
}
