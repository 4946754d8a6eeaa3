package io.oshigan.trainer.storage;

import io.oshigan.storage.ObjectStore;
import io.oshigan.storage.StorageException;
import jakarta.enterprise.inject.Vetoed;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The faces bucket behind a store that refuses the first listings, as one restarting does; counts the crops read. */
@Vetoed
public class FlakyFaceSource extends FaceSource {
    private final AtomicInteger listingsToRefuse;
    private final AtomicInteger fetches = new AtomicInteger();

    public FlakyFaceSource(ObjectStore objects, int listingsToRefuse) {
        super(objects);
        this.listingsToRefuse = new AtomicInteger(listingsToRefuse);
    }

    @Override
    public List<String> cropKeys() {
        if (listingsToRefuse.getAndDecrement() > 0) {
            throw new StorageException(StorageException.Kind.TRANSIENT, "the store is away (test)", null);
        }
        return super.cropKeys();
    }

    @Override
    public byte[] fetch(String key) {
        fetches.incrementAndGet();
        return super.fetch(key);
    }

    /** Crops read from the bucket so far. */
    public int fetches() {
        return fetches.get();
    }
}
