package io.oshigan.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Ports for the local stack and the tests that start processes: free ones chosen so that no two are the same. */
public final class Ports {
    private Ports() {
    }

    /**
     * Each port as given, or for 0 a free one, all different: the free ones are held open until all are chosen (one
     * closed before the next was asked for, the system handed the same port out twice, and Kafka refused a broker and
     * a controller listener on one port).
     */
    public static int[] orFree(int... requested) {
        int[] ports = requested.clone();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                while (ports[i] == 0) {
                    ServerSocket socket = new ServerSocket(0);
                    held.add(socket);
                    int port = socket.getLocalPort();
                    if (Arrays.stream(requested).noneMatch(p -> p == port)) {
                        ports[i] = port;
                    }
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only held to keep its port from being handed out twice
                }
            }
        }
    }
}
