package io.oshigan.local;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar oshigan-local-stack.jar [options]}: starts the local stack and prints one line
 * {@code oshigan local stack ready in <ms> ms: kafka=<host:port> s3=<url>} when both servers accept requests.
 */
public final class LocalStackMain {
    public static final String READY_PREFIX = "oshigan local stack ready";

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalStackConfig config;
        try {
            config = LocalStackConfig.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        LocalStack stack;
        try {
            stack = LocalStack.start(config);
        } catch (Exception e) {
            System.err.println("oshigan local stack failed to start: " + e);
            System.err.println("(is another process using the ports? see --help)");
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.close();
            } catch (Exception e) {
                System.err.println("stopping the local stack failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "local-stack-shutdown"));
        System.out.printf("%s in %d ms: kafka=%s s3=%s data=%s%n", READY_PREFIX,
                (System.nanoTime() - started) / 1_000_000, stack.bootstrapServers(), stack.s3Endpoint(),
                config.dataDir());
        System.out.flush();
        if (config.exitWhenStdinCloses()) {
            waitForEndOfInput();
            System.exit(0);
        }
        stopped.await();
    }

    private static void waitForEndOfInput() {
        try {
            while (System.in.read() != -1) {
                // the parent writes nothing; it only holds the pipe open while it lives
            }
        } catch (IOException e) {
            // a broken pipe also means the parent is gone
        }
    }
}
