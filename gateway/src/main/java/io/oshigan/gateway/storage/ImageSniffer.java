package io.oshigan.gateway.storage;

import java.util.Optional;

/** What an upload is, from its first bytes, never from its name or declared type. */
public final class ImageSniffer {
    private ImageSniffer() {
    }

    /** The media type of a JPEG, PNG, GIF, BMP or WebP file, or empty for anything else. */
    public static Optional<String> mediaType(byte[] head) {
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("image/jpeg");
        }
        if (starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("image/png");
        }
        if (starts(head, 'G', 'I', 'F', '8')) {
            return Optional.of("image/gif");
        }
        if (starts(head, 'B', 'M') && head.length > 14) {
            return Optional.of("image/bmp");
        }
        if (starts(head, 'R', 'I', 'F', 'F') && head.length >= 12 && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of("image/webp");
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] data, int... prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((data[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
