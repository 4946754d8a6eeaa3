package io.oshigan.gateway;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a bare socket, for what a well-behaved client never sends: a body that stops short of its
 * Content-Length, a chunked one, a length no client would declare. The gateway's answer comes from the headers alone.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, ending in an empty line) and {@code body}; the socket stays open. */
    static Socket send(URL root, String head, byte[] body) throws IOException {
        Socket socket = new Socket(root.getHost(), root.getPort());
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        return socket;
    }

    /** The first answer read from {@code socket}, as text (status line, headers and what came of the body). */
    static String answer(Socket socket) throws IOException {
        byte[] answer = new byte[4096];
        int n = socket.getInputStream().read(answer);
        return new String(answer, 0, Math.max(n, 0), StandardCharsets.UTF_8);
    }
}
