package io.oshigan.dcgan.pytorch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files built to exhaust the import's memory: each is refused with its reason before anything large is allocated.
 * The test JVM runs with -XX:+ExitOnOutOfMemoryError, so an allocation that got through would end the run.
 */
class HostileStateDictTest {
    private static final Path PARITY = Path.of("src/test/resources/parity/model_G_parity.pth");

    @Test
    void aStringLongerThanThePickleIsRefusedBeforeItIsAllocated() throws Exception {
        // the 247-byte shape found in the wild: protocol 2, BINBYTES of 2 GB, three bytes, STOP
        byte[] binbytes = pickle(0x80, 2, 'B', 0xF0, 0xFF, 0xFF, 0x7F, 'a', 'b', 'c', '.');
        assertRefused(zip(Map.of("archive/data.pkl", binbytes)),
                "the pickle's opcode 0x42 declares 2147483632 bytes but only 4 remain: refused before allocating");
        byte[] unicode8 = pickle(0x80, 4, 0x8D, 0, 0, 0, 0, 0, 0, 0, 0x40, 'x', '.');
        assertRefused(zip(Map.of("archive/data.pkl", unicode8)), "declares 4611686018427387904 bytes but only 2 remain");
        byte[] frame = pickle(0x80, 4, 0x95, 0, 0, 0, 0x80, 0, 0, 0, 0, ']', '.');
        assertRefused(zip(Map.of("archive/data.pkl", frame)), "opcode 0x95 declares 2147483648 bytes but only 2 remain");
        byte[] long4 = pickle(0x80, 2, 0x8B, 0xFF, 0xFF, 0xFF, 0x0F, 1, '.');
        assertRefused(zip(Map.of("archive/data.pkl", long4)), "opcode 0x8b declares 268435455 bytes but only 2 remain");
    }

    @Test
    void aZipBombAndOversizedFilesAreRefusedByWhatTheyUnpackTo() throws Exception {
        byte[] zeros = new byte[80 << 20];
        InputStream bomb = zip(Map.of("archive/data.pkl", pickle(0x80, 2, ']', '.'), "archive/data/0", zeros));
        assertRefused(bomb, "the file unpacks to more than 67108864 bytes (at entry archive/data/0)");
        byte[] bigPickle = new byte[(1 << 20) + 1];
        assertRefused(zip(Map.of("archive/data.pkl", bigPickle)), "unpacks to more than 1048576 bytes");
        assertThatThrownBy(() -> StateDictReader.read(Files.newInputStream(PARITY), 100_000))
                .isInstanceOf(PyTorchImportException.class).hasMessageStartingWith("the file has more than 100000 bytes");
        // the real reference generator still fits the default cap
        assertThat(StateDictReader.read(Files.newInputStream(PARITY))).containsKey("0.weight");
    }

    @Test
    void aTensorMustLieInsideItsStorage() throws Exception {
        StateDict overrun = new StateDict().tensor("main.0.weight", 0, new long[]{1_000_000}, new long[]{1});
        assertRefused(overrun.zip(new byte[16]), "a tensor of shape [1000000] at offset 0 with strides [1] reaches "
                + "element 999999 of storage 0, which has 4: refused");
        StateDict offset = new StateDict().tensor("main.0.weight", 3, new long[]{2}, new long[]{1});
        assertRefused(offset.zip(new byte[16]), "reaches element 4 of storage 0, which has 4");
        StateDict strided = new StateDict().tensor("main.0.weight", 0, new long[]{2, 2}, new long[]{1, 3});
        assertRefused(strided.zip(new byte[16]), "reaches element 4 of storage 0, which has 4");
        StateDict negative = new StateDict().tensor("main.0.weight", 0, new long[]{2}, new long[]{-1});
        assertRefused(negative.zip(new byte[16]), "a tensor has a negative size or stride");
    }

    @Test
    void aPickleThatWouldTakeForeverToPrintIsRefusedWithoutPrintingIt() throws Exception {
        // 40 nested lists, each holding the previous one twice: 2^40 elements as text. A STACK_GLOBAL on it must not
        // turn it into a string, and neither may a dict key.
        java.io.ByteArrayOutputStream p = new java.io.ByteArrayOutputStream();
        p.writeBytes(new byte[]{(byte) 0x80, 2, ']', 'q', 0});
        for (int i = 0; i < 40; i++) {
            p.writeBytes(new byte[]{']', '(', 'h', (byte) i, 'h', (byte) i, 'e', 'q', (byte) (i + 1)});
        }
        byte[] lists = p.toByteArray();
        byte[] global = java.util.Arrays.copyOf(lists, lists.length + 5);
        System.arraycopy(new byte[]{'h', 40, (byte) 0x93, '.', '.'}, 0, global, lists.length, 4);
        long started = System.nanoTime();
        assertRefused(zip(Map.of("archive/data.pkl", java.util.Arrays.copyOf(global, lists.length + 4))),
                "names a global with a ArrayList and a ArrayList where a state_dict has two strings");
        byte[] key = java.util.Arrays.copyOf(lists, lists.length + 9);
        System.arraycopy(new byte[]{'}', 'q', 41, 'h', 40, 'K', 1, 's', '.'}, 0, key, lists.length, 9);
        assertRefused(zip(Map.of("archive/data.pkl", key)), "the state_dict has a key of type ArrayList");
        assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(30);
    }

    @Test
    void oneStorageSharedByManyTensorsCannotMultiplyMemory() throws Exception {
        StateDict shared = new StateDict();
        for (int i = 0; i < 64; i++) {
            shared.tensor("t" + i, 0, new long[]{1024}, new long[]{1});
        }
        InputStream file = shared.zip(new byte[4096]);
        assertThatThrownBy(() -> StateDictReader.read(file, 64 * 1024)).isInstanceOf(PyTorchImportException.class)
                .hasMessageContaining("the tensors hold more than 16384 values together");
    }

    @Test
    void aGeneratorBeyondTheServedSizesIsRefused() throws Exception {
        // stride 0: a huge nz costs the file nothing, and its values fit the budget
        StateDict wide = new StateDict().tensor("main.0.weight", 0, new long[]{2000, 8, 4, 4}, new long[]{0, 0, 0, 0})
                .tensor("main.12.weight", 0, new long[]{8, 3, 4, 4}, new long[]{0, 0, 0, 0});
        assertThatThrownBy(() -> ReferenceGenerator.architecture(StateDictReader.read(wide.zip(new byte[4]))))
                .isInstanceOf(PyTorchImportException.class)
                .hasMessage("the generator has nz=2000, ngf=8; at most nz=1024, ngf=256 are served");
    }

    private static void assertRefused(InputStream file, String reason) {
        assertThatThrownBy(() -> StateDictReader.read(file)).isInstanceOf(PyTorchImportException.class)
                .hasMessageContaining(reason);
    }

    private static byte[] pickle(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }

    private static InputStream zip(Map<String, byte[]> entries) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    /** A state_dict pickle (protocol 2) of float tensors that all view storage "0", as torch.save writes it. */
    private static final class StateDict {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        StateDict() {
            out.writeBytes(new byte[]{(byte) 0x80, 2});
            global("collections", "OrderedDict");
            out.writeBytes(new byte[]{')', 'R'});
        }

        StateDict tensor(String name, long offset, long[] shape, long[] strides) {
            string(name);
            global("torch._utils", "_rebuild_tensor_v2");
            out.write('(');
            out.write('(');
            string("storage");
            global("torch", "FloatStorage");
            string("0");
            string("cpu");
            integer(4);
            out.writeBytes(new byte[]{'t', 'Q'});
            integer(offset);
            tuple(shape);
            tuple(strides);
            out.write(0x89);
            global("collections", "OrderedDict");
            out.writeBytes(new byte[]{')', 'R', 't', 'R', 's'});
            return this;
        }

        InputStream zip(byte[] storage) throws Exception {
            byte[] pickle = out.toByteArray();
            byte[] done = java.util.Arrays.copyOf(pickle, pickle.length + 1);
            done[pickle.length] = '.';
            return HostileStateDictTest.zip(Map.of("archive/data.pkl", done, "archive/data/0", storage));
        }

        private void global(String module, String name) {
            out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        private void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            littleEndian(utf8.length);
            out.writeBytes(utf8);
        }

        private void integer(long value) {
            out.write('J');
            littleEndian((int) value);
        }

        private void tuple(long[] values) {
            out.write('(');
            for (long v : values) {
                integer(v);
            }
            out.write('t');
        }

        private void littleEndian(int value) {
            for (int i = 0; i < 4; i++) {
                out.write((value >> (8 * i)) & 0xFF);
            }
        }
    }
}
