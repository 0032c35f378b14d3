package io.switchboard.tests.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client written frame by frame on a plain socket, for what {@code java.net.http} cannot do: send
 * one frame of any size (it splits large messages into frames of its own choosing) and read the handshake
 * response's headers. Reads time out after {@link Stack#WAIT}.
 */
final class RawWs implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;

    record Frame(int opcode, byte[] payload) {
        /** The status code of a close frame, or 1005 when it carries none. */
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        }

        String text() {
            return new String(payload, opcode == CLOSE && payload.length >= 2 ? 2 : 0,
                    opcode == CLOSE && payload.length >= 2 ? payload.length - 2 : payload.length, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    final int status;
    final Map<String, String> headers;

    private RawWs(Socket socket, int status, Map<String, String> headers, DataInputStream in) throws IOException {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /**
     * Sends the upgrade request for {@code /event/realtime} with {@code protocols} (comma-separated, or null) and
     * the extra {@code headers}; returns the client whatever the answer was ({@link #status}).
     */
    static RawWs open(int port, String protocols, Map<String, String> extraHeaders) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Stack.WAIT.toMillis());
        socket.setSoTimeout((int) Stack.WAIT.toMillis());
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        StringBuilder request = new StringBuilder("GET /event/realtime HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n");
        if (protocols != null) {
            request.append("Sec-WebSocket-Protocol: ").append(protocols).append("\r\n");
        }
        extraHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String head = readHead(in);
        List<String> lines = head.lines().toList();
        int status = Integer.parseInt(lines.get(0).split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        return new RawWs(socket, status, headers, in);
    }

    private static String readHead(DataInputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends one complete (FIN) frame of {@code opcode}, masked as a client must. */
    void send(int opcode, byte[] payload) throws IOException {
        sendFrame(opcode, true, payload);
    }

    private void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
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
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            // the server may close while a large frame is still being written; what it sent is read next
        }
    }

    /** Sends {@code payload} as one text message split into frames of at most {@code frameBytes}. */
    void sendFragmented(byte[] payload, int frameBytes) throws IOException {
        for (int offset = 0; offset < payload.length; offset += frameBytes) {
            int length = Math.min(frameBytes, payload.length - offset);
            boolean first = offset == 0;
            boolean last = offset + length >= payload.length;
            byte[] chunk = java.util.Arrays.copyOfRange(payload, offset, offset + length);
            sendFrame(first ? TEXT : 0x0, last, chunk);
        }
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next complete message (continuation frames joined); pings are skipped. */
    Frame read() throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int opcode = first & 0x0f;
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            payload.writeBytes(readPayload());
            boolean fin = (first & 0x80) != 0;
            while (!fin) {
                int next = in.readUnsignedByte();
                fin = (next & 0x80) != 0;
                payload.writeBytes(readPayload());
            }
            if (opcode != PING) {
                return new Frame(opcode, payload.toByteArray());
            }
        }
    }

    private byte[] readPayload() throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return payload;
    }

    /** The text of the next message that is not a {@code ka} (the keep-alive schedule may send one at any time). */
    String readText() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() != TEXT) {
                throw new AssertionError("expected a text message, got opcode " + frame.opcode() + ": " + frame.text());
            }
            if (!frame.text().replace(" ", "").equals("{\"type\":\"ka\"}")) {
                return frame.text();
            }
        }
    }

    /** Reads until the server's close frame, skipping other messages; fails on timeout or a drop without one. */
    Frame readClose() throws IOException {
        try {
            while (true) {
                Frame frame = read();
                if (frame.opcode() == CLOSE) {
                    return frame;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within " + Stack.WAIT.toMillis() + " ms", e);
        }
    }

    /** True when the server closed the TCP connection (end of stream) within {@link Stack#WAIT}. */
    boolean endOfStream() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: closed as well
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
