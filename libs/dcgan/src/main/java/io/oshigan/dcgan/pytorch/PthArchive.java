package io.oshigan.dcgan.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The entries of a {@code torch.save} zip: the pickle and the raw storages, read with bounded memory. The upload, the
 * sum of what its entries unpack to and the pickle are each capped before more is read, whatever sizes the zip
 * declares (a zip bomb declares small ones).
 */
record PthArchive(byte[] pickle, Map<String, byte[]> storages) {
    /** A state_dict's pickle names its tensors: a few KB for the reference generator. */
    static final int MAX_PICKLE_BYTES = 1 << 20;
    /** A reference generator's file has about 30 entries. */
    static final int MAX_ENTRIES = 10_000;

    static PthArchive read(InputStream pth, long maxBytes) throws IOException {
        // torch.save writes STORED entries with data descriptors, which ZipInputStream refuses: read the central directory
        Path file = Files.createTempFile("state-dict", ".pth");
        try {
            copyAtMost(pth, file, maxBytes);
            return entries(file, maxBytes);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void copyAtMost(InputStream pth, Path file, long maxBytes) throws IOException {
        try (InputStream in = pth; OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long copied = 0;
            for (int n; (n = in.read(buffer)) != -1; ) {
                copied += n;
                if (copied > maxBytes) {
                    throw tooLarge("the file has more than " + maxBytes + " bytes", maxBytes);
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static PthArchive entries(Path file, long maxBytes) throws IOException {
        Map<String, byte[]> storages = new HashMap<>();
        byte[] pickle = null;
        long total = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_ENTRIES) {
                throw new PyTorchImportException("the file has " + zip.size() + " entries; a state_dict's has a few dozen (limit "
                        + MAX_ENTRIES + ")");
            }
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                boolean isPickle = name.endsWith("/data.pkl");
                long budget = isPickle ? Math.min(MAX_PICKLE_BYTES, maxBytes - total) : maxBytes - total;
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readNBytes((int) Math.min(budget + 1, Integer.MAX_VALUE - 16));
                }
                if (bytes.length > budget) {
                    throw isPickle && budget == MAX_PICKLE_BYTES
                            ? new PyTorchImportException("its pickle " + name + " unpacks to more than " + MAX_PICKLE_BYTES
                            + " bytes; a state_dict's names its tensors in a few KB")
                            : tooLarge("the file unpacks to more than " + maxBytes + " bytes (at entry " + name + ")", maxBytes);
                }
                total += bytes.length;
                if (isPickle) {
                    pickle = bytes;
                } else if (name.matches("[^/]+/data/[^/]+")) {
                    storages.put(name.substring(name.lastIndexOf('/') + 1), bytes);
                }
            }
        } catch (ZipException e) {
            throw new PyTorchImportException("not a PyTorch checkpoint: not a zip file (" + e.getMessage() + ")");
        }
        if (pickle == null) {
            throw new PyTorchImportException("not a PyTorch checkpoint: no <name>/data.pkl inside a zip (files saved "
                    + "with torch.save since PyTorch 1.6 are zips)");
        }
        return new PthArchive(pickle, storages);
    }

    private static PyTorchImportException tooLarge(String what, long maxBytes) {
        return new PyTorchImportException(what + "; the limit is " + maxBytes + " bytes, and a reference DCGAN "
                + "generator (nz 100, ngf 64) has about 14 MB");
    }
}
