package io.oshigan.dcgan.pytorch;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Unpickles a state_dict and nothing else: only a state_dict's globals exist (anything else is refused before it is
 * resolved), every length an opcode declares must fit in the bytes that remain before anything is allocated, and
 * every tensor must lie inside its storage, within a budget of values for all tensors together.
 */
final class RestrictedUnpickler extends Unpickler {
    private record StorageRef(String type, String key) {
    }

    private record StorageType(String name) {
    }

    private static final Map<String, Integer> ELEMENT_BYTES = Map.of("FloatStorage", 4, "DoubleStorage", 8,
            "LongStorage", 8, "IntStorage", 4, "BoolStorage", 1, "ByteStorage", 1);
    /** Opcodes followed by a little-endian length and that many bytes (a frame: of pickle), with the length's width. */
    private static final Map<Short, Integer> LENGTH_PREFIXED = Map.of(Opcodes.BINBYTES, 4, Opcodes.BINUNICODE, 4,
            Opcodes.BINSTRING, 4, Opcodes.LONG4, 4, Opcodes.BINBYTES8, 8, Opcodes.BINUNICODE8, 8,
            Opcodes.BYTEARRAY8, 8, Opcodes.FRAME, 8);

    private final Map<String, byte[]> storages;
    private final long maxValues;
    private long valuesLeft;

    RestrictedUnpickler(Map<String, byte[]> storages, long maxValues) {
        this.storages = storages;
        this.maxValues = maxValues;
        this.valuesLeft = maxValues;
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        Integer lengthBytes = LENGTH_PREFIXED.get(key);
        if (lengthBytes != null) {
            checkDeclaredLength(key, lengthBytes);
        }
        if (key == Opcodes.GLOBAL) {
            String module = PickleUtils.readline(input);
            String name = PickleUtils.readline(input);
            stack.add(allowed(module, name));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.STACK_GLOBAL) {
            // strings only: turning an untrusted object into text (a list sharing its sublists) can take forever
            Object name = stack.pop();
            Object module = stack.pop();
            if (!(name instanceof String n) || !(module instanceof String m)) {
                throw new PyTorchImportException("the pickle names a global with a " + typeOf(module) + " and a "
                        + typeOf(name) + " where a state_dict has two strings: refused");
            }
            stack.add(allowed(m, n));
            return NO_RETURN_VALUE;
        }
        if (key == Opcodes.EMPTY_SET || key == Opcodes.ADDITEMS || key == Opcodes.FROZENSET) {
            throw new PyTorchImportException("the pickle builds a set, which a state_dict never does: refused");
        }
        if (key == Opcodes.SETITEM) {
            Object value = stack.pop();
            Object name = stack.pop();
            requireStringKey(name);
            stack.add(name);
            stack.add(value);
        } else if (key == Opcodes.SETITEMS || key == Opcodes.DICT) {
            java.util.List<Object> items = stack.pop_all_since_marker();
            for (int i = 0; i < items.size(); i += 2) {
                requireStringKey(items.get(i));
            }
            stack.add_mark();
            items.forEach(stack::add);
        }
        if (key == Opcodes.INST || key == Opcodes.OBJ) {
            throw new PyTorchImportException("the pickle builds class instances (opcode INST/OBJ), which a state_dict never does: refused");
        }
        return super.dispatch(key);
    }

    /** Reads the length ahead and steps back: a 2 GB string declared in a 200-byte pickle is refused, not allocated. */
    private void checkDeclaredLength(short key, int lengthBytes) throws IOException {
        input.mark(lengthBytes);
        byte[] raw = input.readNBytes(lengthBytes);
        long remaining = input.available();
        input.reset();
        if (raw.length < lengthBytes) {
            throw new PyTorchImportException("the pickle ends inside the length of opcode 0x" + Integer.toHexString(key));
        }
        long length = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            length = (length << 8) | (raw[i] & 0xFF);
        }
        if (length < 0 || length > remaining) {
            throw new PyTorchImportException("the pickle's opcode 0x" + Integer.toHexString(key) + " declares "
                    + Long.toUnsignedString(length) + " bytes but only " + remaining + " remain: refused before allocating");
        }
    }

    private Object allowed(String module, String name) {
        String global = module + "." + name;
        if (global.equals("collections.OrderedDict")) {
            return (IObjectConstructor) args -> new StateDictReader.StateDictMap();
        }
        if (global.equals("torch._utils._rebuild_tensor_v2")) {
            return (IObjectConstructor) this::rebuildTensor;
        }
        if (module.equals("torch") && ELEMENT_BYTES.containsKey(name)) {
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
        throw new PyTorchImportException("unexpected persistent id in the pickle (a " + typeOf(pid)
                + "; a state_dict's are ('storage', type, key, location, size))");
    }

    /** Dict keys are hashed on insertion: only strings, as in a state_dict, so a crafted key cannot take forever. */
    private static void requireStringKey(Object key) {
        if (!(key instanceof String)) {
            throw new PyTorchImportException("the state_dict has a key of type " + typeOf(key)
                    + "; its keys are parameter names: refused");
        }
    }

    static String typeOf(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    private Object rebuildTensor(Object[] args) {
        StorageRef storage = (StorageRef) args[0];
        long offset = ((Number) args[1]).longValue();
        Object[] size = (Object[]) args[2];
        Object[] stride = (Object[]) args[3];
        byte[] bytes = storages.get(storage.key());
        if (bytes == null) {
            throw new PyTorchImportException("storage " + storage.key() + " is missing from the file");
        }
        long[] shape = new long[size.length];
        long[] strides = new long[size.length];
        if (stride.length != size.length) {
            throw new PyTorchImportException("a tensor has " + size.length + " dimensions but " + stride.length + " strides");
        }
        long count = 1;
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            shape[i] = ((Number) size[i]).longValue();
            strides[i] = ((Number) stride[i]).longValue();
            if (shape[i] < 0 || strides[i] < 0) {
                throw new PyTorchImportException("a tensor has a negative size or stride: " + shape[i] + ", stride "
                        + strides[i] + " in dimension " + i);
            }
            count = Math.multiplyExact(count, shape[i]);
            last = Math.addExact(last, Math.multiplyExact(Math.max(0, shape[i] - 1), strides[i]));
        }
        long elements = bytes.length / ELEMENT_BYTES.get(storage.type());
        if (offset < 0 || (count > 0 && last >= elements)) {
            throw new PyTorchImportException("a tensor of shape " + Arrays.toString(shape) + " at offset " + offset
                    + " with strides " + Arrays.toString(strides) + " reaches element " + last + " of storage "
                    + storage.key() + ", which has " + elements + ": refused");
        }
        if (count > valuesLeft) {
            throw new PyTorchImportException("the tensors hold more than " + maxValues + " values together "
                    + "(a storage shared by many tensors?): refused");
        }
        valuesLeft -= count;
        return new StateDictReader.Tensor(shape, StorageValues.read(bytes, storage.type(), offset, shape, strides, (int) count));
    }
}
