package io.oshigan.local;

import io.oshigan.storage.StorageSettings;

import java.nio.file.Path;
import java.util.Map;

/**
 * Settings of the local stack. Each has a command-line option and an environment variable; the option wins.
 * A port of 0 picks a free port.
 */
public record LocalStackConfig(Path dataDir, String host, int kafkaPort, int kafkaControllerPort, int s3Port,
                               String accessKey, String secretKey, boolean exitWhenStdinCloses) {

    public static final String USAGE = """
            usage: oshigan-local-stack [options]
              --data-dir DIR          where Kafka and S3 keep their data (env OSHIGAN_DATA_DIR, default .oshigan-data)
              --kafka-port N          Kafka broker port (env OSHIGAN_KAFKA_PORT, default 9092; 0 = any free port)
              --kafka-controller-port N  KRaft controller port (env OSHIGAN_KAFKA_CONTROLLER_PORT, default 9093)
              --s3-port N             S3 port (env OSHIGAN_S3_PORT, default 9000; 0 = any free port)
              --access-key KEY        S3 access key (env OSHIGAN_S3_ACCESS_KEY, default oshigan)
              --secret-key KEY        S3 secret key (env OSHIGAN_S3_SECRET_KEY, default oshigan-secret)
              --exit-when-stdin-closes  stop when standard input reaches its end (for a parent process)
            """;

    public static LocalStackConfig defaults(Path dataDir) {
        return new LocalStackConfig(dataDir, "127.0.0.1", 0, 0, 0,
                StorageSettings.DEFAULT_ACCESS_KEY, StorageSettings.DEFAULT_SECRET_KEY, false);
    }

    public static LocalStackConfig parse(String[] args, Map<String, String> env) {
        Path dataDir = Path.of(env.getOrDefault("OSHIGAN_DATA_DIR", ".oshigan-data"));
        int kafkaPort = port(env.getOrDefault("OSHIGAN_KAFKA_PORT", "9092"), "OSHIGAN_KAFKA_PORT");
        int controllerPort = port(env.getOrDefault("OSHIGAN_KAFKA_CONTROLLER_PORT", "9093"), "OSHIGAN_KAFKA_CONTROLLER_PORT");
        int s3Port = port(env.getOrDefault("OSHIGAN_S3_PORT", "9000"), "OSHIGAN_S3_PORT");
        String accessKey = env.getOrDefault("OSHIGAN_S3_ACCESS_KEY", StorageSettings.DEFAULT_ACCESS_KEY);
        String secretKey = env.getOrDefault("OSHIGAN_S3_SECRET_KEY", StorageSettings.DEFAULT_SECRET_KEY);
        boolean exitOnEof = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--exit-when-stdin-closes")) {
                exitOnEof = true;
                continue;
            }
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + option + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--kafka-port" -> kafkaPort = port(value, option);
                case "--kafka-controller-port" -> controllerPort = port(value, option);
                case "--s3-port" -> s3Port = port(value, option);
                case "--access-key" -> accessKey = value;
                case "--secret-key" -> secretKey = value;
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        return new LocalStackConfig(dataDir.toAbsolutePath().normalize(), "127.0.0.1", kafkaPort, controllerPort,
                s3Port, accessKey, secretKey, exitOnEof);
    }

    private static int port(String value, String name) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535) but is '" + value + "'");
        }
    }
}
