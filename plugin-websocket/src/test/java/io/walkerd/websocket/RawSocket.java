package io.walkerd.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A websocket client written by hand over a plain TCP socket, for what well-behaved clients never do: vanish without
 * a close frame, or never answer a ping.
 */
final class RawSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Does the upgrade handshake on {@code /websocket<query>} and checks the server switched protocols. */
    static RawSocket upgrade(int port, String query) throws IOException { return upgrade(port, query, ""); }

    /** The same, with extra header lines ({@code "name: value\r\n"} each). */
    static RawSocket upgrade(int port, String query, String headers) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /websocket" + query + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        RawSocket raw = new RawSocket(s);
        String head = raw.readHead();
        assertThat(head).startsWith("HTTP/1.1 101");
        return raw;
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        InputStream i = in;
        while (true) {
            int c = i.read();
            if (c < 0) throw new IOException("connection closed during the handshake: " + b);
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') return b.toString(StandardCharsets.US_ASCII);
        }
    }

    /** Reads the next text frame the server sends (unmasked, unfragmented), skipping pings. */
    String readText() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7f;
            if (len == 126) len = in.readUnsignedShort();
            else if (len == 127) len = in.readLong();
            byte[] payload = new byte[(int) len];
            in.readFully(payload);
            int opcode = b0 & 0x0f;
            if (opcode == 0x1) return new String(payload, StandardCharsets.UTF_8);
            if (opcode == 0x8) throw new IOException("server closed");
        }
    }

    /** Drops the connection with a TCP reset: no close frame, no FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Closes the TCP connection (FIN) without a websocket close frame. */
    @Override
    public void close() throws IOException { socket.close(); }
}
