package io.oshigan.dcgan.pytorch;

import net.razorvine.pickle.PickleException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /** The default cap of an upload and of what it unpacks to: four times a reference generator's 14 MB. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private StateDictReader() {
    }

    public static Map<String, Tensor> read(InputStream pth) throws IOException {
        return read(pth, DEFAULT_MAX_BYTES);
    }

    /**
     * @param maxBytes the most the upload may have, and the most its entries may unpack to, together; the tensors
     *                 built from them hold at most as many bytes again
     */
    public static Map<String, Tensor> read(InputStream pth, long maxBytes) throws IOException {
        PthArchive archive = PthArchive.read(pth, maxBytes);
        Object loaded;
        RestrictedUnpickler unpickler = new RestrictedUnpickler(archive.storages(), maxBytes / Float.BYTES);
        try {
            loaded = unpickler.load(new ByteArrayInputStream(archive.pickle()));
        } catch (PickleException | ClassCastException | IndexOutOfBoundsException | ArithmeticException e) {
            throw new PyTorchImportException("the pickle in the file cannot be read: " + e.getMessage());
        } finally {
            unpickler.close();
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw new PyTorchImportException("the file holds a " + (loaded == null ? "None" : loaded.getClass().getSimpleName())
                    + ", not a state_dict (save model.state_dict())");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() instanceof Tensor t) {
                tensors.put((String) entry.getKey(), t); // the unpickler admits string keys only
            }
        }
        return tensors;
    }

    /** OrderedDict, accepting the {@code _metadata} state PyTorch attaches (and ignoring it). */
    public static final class StateDictMap extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // _metadata: per-module versions; the weights are all we need
        }
    }
}
