package io.switchboard.local;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A bare WebSocket client writing frames byte by byte, for what java.net.http cannot be told to
 * do: send one frame larger than 32 KB (it fragments large messages itself).
 */
final class RawWebSocket implements AutoCloseable {

    record Frame(int opcode, boolean fin, byte[] payload) {
        int closeCode() {
            return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens {@code path} on {@code port} offering {@code protocols}; returns the client once the server answered 101. */
    static RawWebSocket open(int port, String path, String protocols) throws IOException {
        RawWebSocket ws = new RawWebSocket(new Socket("127.0.0.1", port));
        ws.socket.setSoTimeout(5000);
        byte[] key = new byte[16];
        ws.random.nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + protocols + "\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            ws.close();
            throw new IOException("handshake failed: " + head);
        }
        return ws;
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends one complete (FIN) frame, masked as a client must. */
    void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads the next frame from the server (unmasked). */
    Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0f, (first & 0x80) != 0, payload);
    }

    /** Reads frames up to the end of the next message; its opcode is the first frame's. */
    Frame readMessage() throws IOException {
        Frame first = read();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(first.payload());
        Frame frame = first;
        while (!frame.fin()) {
            frame = read();
            payload.writeBytes(frame.payload());
        }
        return new Frame(first.opcode(), true, payload.toByteArray());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
