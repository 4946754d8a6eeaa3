package io.oshigan.storage;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;

/** A real S3 server (s3proxy over files) on a free port, for the store's own tests through the real MinIO client. */
final class S3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final ObjectStore store;

    S3Server(Path dataDir) throws Exception {
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        context = ContextBuilder.newBuilder("filesystem-nio2").credentials("unused", "unused").overrides(overrides)
                .buildView(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test", "test-secret").build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (proxy.getState().equals("FAILED") || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(5);
        }
        store = ObjectStore.connect(new StorageSettings(URI.create("http://127.0.0.1:" + proxy.getPort()), "test",
                "test-secret", "us-east-1"));
        store.ensureBuckets(Bucket.values());
    }

    ObjectStore store() {
        return store;
    }

    @Override
    public void close() throws Exception {
        if (store != null) {
            store.close();
        }
        proxy.stop();
        context.close();
    }
}
