package io.oshigan.dcgan.pytorch;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a {@code torch.save(model.state_dict(), f)} file (a zip of data.pkl and raw storages) into float tensors,
 * without PyTorch and without running anything from the file: the pickle may name only the globals a state_dict uses
 * (OrderedDict, torch's tensor rebuild function, storage types); any other global is refused before it is looked up.
 * Storage locations (e.g. "cuda:0") are ignored: everything lands on the CPU.
 */
public final class StateDictReader {
    /** A tensor as PyTorch stores it: NCHW-style shape, row-major values. */
    public record Tensor(long[] shape, float[] values) {
    }

    private record StorageRef(String type, String key) {
    }

    private record StorageType(String name) {
    }

    private static final Set<String> STORAGE_TYPES = Set.of("FloatStorage", "DoubleStorage", "LongStorage",
            "IntStorage", "BoolStorage", "ByteStorage");
    private static final long MAX_BYTES = 2L << 30;

    private StateDictReader() {
    }

    public static Map<String, Tensor> read(InputStream pth) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        byte[] pickle = null;
        long total = 0;
        // torch.save writes STORED entries with data descriptors, which ZipInputStream refuses: read the central directory
        java.nio.file.Path file = java.nio.file.Files.createTempFile("state-dict", ".pth");
        try (InputStream in = pth) {
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    continue;
                }
                if (total + Math.max(0, entry.getSize()) > MAX_BYTES) {
                    throw new PyTorchImportException("the file unpacks to more than 2 GiB; a DCGAN generator is far smaller");
                }
                byte[] bytes;
                try (InputStream entryIn = zip.getInputStream(entry)) {
                    bytes = entryIn.readNBytes((int) Math.min(MAX_BYTES, Integer.MAX_VALUE - 16));
                }
                total += bytes.length;
                if (total > MAX_BYTES) {
                    throw new PyTorchImportException("the file unpacks to more than 2 GiB; a DCGAN generator is far smaller");
                }
                String name = entry.getName();
                if (name.endsWith("/data.pkl")) {
                    pickle = bytes;
                } else if (name.matches("[^/]+/data/[^/]+")) {
                    entries.put(name.substring(name.lastIndexOf('/') + 1), bytes);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new PyTorchImportException("not a PyTorch checkpoint: not a zip file (" + e.getMessage() + ")");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
        if (pickle == null) {
            throw new PyTorchImportException("not a PyTorch checkpoint: no <name>/data.pkl inside a zip (files saved "
                    + "with torch.save since PyTorch 1.6 are zips)");
        }
        Object loaded;
        RestrictedUnpickler unpickler = new RestrictedUnpickler(entries);
        try {
            loaded = unpickler.load(new ByteArrayInputStream(pickle));
        } catch (PickleException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new PyTorchImportException("the pickle in the file cannot be read: " + e.getMessage());
        } finally {
            unpickler.close();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new PyTorchImportException("the file holds a " + (loaded == null ? "None" : loaded.getClass().getSimpleName())
                    + ", not a state_dict (save model.state_dict())");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (v instanceof Tensor t) {
                tensors.put(String.valueOf(k), t);
            }
        });
        return tensors;
    }

    /** Only a state_dict's globals exist; everything else is refused before it is resolved. */
    private static final class RestrictedUnpickler extends Unpickler {
        private final Map<String, byte[]> storages;

        RestrictedUnpickler(Map<String, byte[]> storages) {
            this.storages = storages;
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            if (key == Opcodes.GLOBAL) {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(allowed(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.STACK_GLOBAL) {
                String name = String.valueOf(stack.pop());
                String module = String.valueOf(stack.pop());
                stack.add(allowed(module, name));
                return NO_RETURN_VALUE;
            }
            if (key == Opcodes.INST || key == Opcodes.OBJ) {
                throw new PyTorchImportException("the pickle builds class instances (opcode INST/OBJ), which a state_dict never does: refused");
            }
            return super.dispatch(key);
        }

        private Object allowed(String module, String name) {
            String global = module + "." + name;
            if (global.equals("collections.OrderedDict")) {
                return (IObjectConstructor) args -> new StateDictMap();
            }
            if (global.equals("torch._utils._rebuild_tensor_v2")) {
                return (IObjectConstructor) this::rebuildTensor;
            }
            if (module.equals("torch") && STORAGE_TYPES.contains(name)) {
                return new StorageType(name);
            }
            throw new PyTorchImportException("the pickle names the global " + global + ", which a state_dict never uses:"
                    + " refused without looking it up or running anything");
        }

        @Override
        protected Object persistentLoad(Object pid) {
            if (pid instanceof Object[] t && t.length >= 5 && "storage".equals(t[0]) && t[1] instanceof StorageType type) {
                return new StorageRef(type.name(), String.valueOf(t[2]));
            }
            throw new PyTorchImportException("unexpected persistent id in the pickle: " + java.util.Arrays.deepToString(
                    pid instanceof Object[] a ? a : new Object[]{pid}));
        }

        private Object rebuildTensor(Object[] args) {
            StorageRef storage = (StorageRef) args[0];
            int offset = ((Number) args[1]).intValue();
            Object[] size = (Object[]) args[2];
            Object[] stride = (Object[]) args[3];
            long[] shape = new long[size.length];
            long count = 1;
            for (int i = 0; i < size.length; i++) {
                shape[i] = ((Number) size[i]).longValue();
                count *= shape[i];
            }
            byte[] bytes = storages.get(storage.key());
            if (bytes == null) {
                throw new PyTorchImportException("storage " + storage.key() + " is missing from the file");
            }
            float[] values = new float[(int) count];
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long[] index = new long[shape.length];
            for (int i = 0; i < values.length; i++) {
                long element = offset;
                for (int d = 0; d < shape.length; d++) {
                    element += index[d] * ((Number) stride[d]).longValue();
                }
                values[i] = read(buffer, storage.type(), (int) element);
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++index[d] < shape[d]) {
                        break;
                    }
                    index[d] = 0;
                }
            }
            return new Tensor(shape, values);
        }

        private static float read(ByteBuffer buffer, String type, int element) {
            return switch (type) {
                case "FloatStorage" -> buffer.getFloat(element * 4);
                case "DoubleStorage" -> (float) buffer.getDouble(element * 8);
                case "LongStorage" -> buffer.getLong(element * 8);
                case "IntStorage" -> buffer.getInt(element * 4);
                default -> buffer.get(element);
            };
        }
    }

    /** OrderedDict, accepting the {@code _metadata} state PyTorch attaches (and ignoring it). */
    public static final class StateDictMap extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // _metadata: per-module versions; the weights are all we need
        }
    }
}
