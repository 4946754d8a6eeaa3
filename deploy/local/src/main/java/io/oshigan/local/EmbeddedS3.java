package io.oshigan.local;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * A real S3 server (s3proxy over a plain directory) that checks AWS V2/V4 signatures like MinIO does.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, URI endpoint) {
        this.proxy = proxy;
        this.context = context;
        this.endpoint = endpoint;
    }

    /**
     * @param decorate wraps the storage before s3proxy serves it (bucket notifications)
     */
    public static EmbeddedS3 start(Path dataDir, String host, int port, String accessKey, String secretKey,
                                   UnaryOperator<BlobStore> decorate) throws Exception {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create S3 data directory " + dataDir, e);
        }
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials("unused", "unused") // the nio2 provider insists on credentials it never checks
                .overrides(overrides)
                .buildView(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(decorate.apply(context.getBlobStore()))
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // current AWS CLIs and SDKs send x-amz-checksum-crc32 (flexible checksums) with every upload;
                // MinIO accepts it, s3proxy would answer NotImplemented. The SigV4 payload hash still guards the body.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            if (proxy.getState().equals("FAILED")) {
                context.close();
                throw new IllegalStateException("S3 server could not start on " + host + ":" + port);
            }
            Thread.sleep(5);
        }
        return new EmbeddedS3(proxy, context, URI.create("http://" + host + ":" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
