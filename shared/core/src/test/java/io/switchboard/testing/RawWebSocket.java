package io.switchboard.testing;

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
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A WebSocket client written frame by frame on a plain socket to 127.0.0.1, for what {@code java.net.http} cannot
 * be told to do: send one frame of any size (it splits large messages into frames of its own choosing), send text
 * frames that are not UTF-8, read the handshake response's status and headers, and see the server's frames as they
 * are. Every read times out after the {@code timeout} the client was opened with.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;

    /** A frame, or a whole message (then {@code fin} and the opcode of its first frame). */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        /** The status code of a close frame, or 1005 when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        }

        /** The reason of a close frame (UTF-8 after the code), or "". */
        public String closeReason() {
            return payload.length <= 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }

        /** The payload as UTF-8; of a close frame, its reason. */
        public String text() {
            return opcode == CLOSE ? closeReason() : new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();
    private final Duration timeout;
    private final int status;
    private final Map<String, String> headers;

    private RawWebSocket(Socket socket, DataInputStream in, Duration timeout, int status, Map<String, String> headers)
            throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.timeout = timeout;
        this.status = status;
        this.headers = headers;
    }

    /**
     * Sends the upgrade request for {@code path} on {@code port} with {@code protocols} (comma-separated, or null for
     * no {@code Sec-WebSocket-Protocol}) and the extra {@code headers}; returns the client whatever the answer was
     * ({@link #status()}).
     */
    public static RawWebSocket open(int port, String path, String protocols, Map<String, String> headers,
                                    Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n");
            if (protocols != null) {
                request.append("Sec-WebSocket-Protocol: ").append(protocols).append("\r\n");
            }
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<String> lines = readHead(in).lines().toList();
            int status = Integer.parseInt(lines.get(0).split(" ")[1]);
            Map<String, String> answer = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    answer.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            }
            return new RawWebSocket(socket, in, timeout, status, answer);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** As {@link #open}, without extra headers, for an upgrade that must succeed: any answer but 101 is an IOException. */
    public static RawWebSocket upgrade(int port, String path, String protocols, Duration timeout) throws IOException {
        RawWebSocket ws = open(port, path, protocols, Map.of(), timeout);
        if (ws.status != 101) {
            ws.close();
            throw new IOException("handshake failed: " + ws.status + " " + ws.headers);
        }
        return ws;
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

    /** The status of the handshake response (101 when upgraded). */
    public int status() {
        return status;
    }

    /** The handshake response's headers, names in lower case, repeated ones joined with ", ". */
    public Map<String, String> headers() {
        return headers;
    }

    /** Sends one complete (FIN) frame of {@code opcode}, masked as a client must. */
    public void send(int opcode, byte[] payload) {
        sendFrame(opcode, true, payload);
    }

    public void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code payload} as one text message split into frames of at most {@code frameBytes}. */
    public void sendFragmented(byte[] payload, int frameBytes) {
        for (int offset = 0; offset < payload.length; offset += frameBytes) {
            int length = Math.min(frameBytes, payload.length - offset);
            boolean last = offset + length >= payload.length;
            sendFrame(offset == 0 ? TEXT : CONTINUATION, last, Arrays.copyOfRange(payload, offset, offset + length));
        }
    }

    /**
     * Writes one frame. A failed write is not reported: the server may close while a large frame is still being
     * written, and what it sent before (a close frame) is what the next read returns.
     */
    private void sendFrame(int opcode, boolean fin, byte[] payload) {
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
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            // see above: the next read tells
        }
    }

    /** The next frame from the server exactly as it came (unmasked). */
    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        return new Frame(first & 0x0f, (first & 0x80) != 0, readPayload());
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

    /** The next complete message (continuation frames joined, the opcode of its first frame); pings are skipped. */
    public Frame read() throws IOException {
        while (true) {
            Frame first = readFrame();
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            payload.writeBytes(first.payload());
            for (Frame frame = first; !frame.fin(); ) {
                frame = readFrame();
                payload.writeBytes(frame.payload());
            }
            if (first.opcode() != PING) {
                return new Frame(first.opcode(), true, payload.toByteArray());
            }
        }
    }

    /** The text of the next message that is not a {@code ka} (the keep-alive schedule may send one at any time). */
    public String readText() throws IOException {
        while (true) {
            Frame message = read();
            if (message.opcode() != TEXT) {
                throw new AssertionError("expected a text message, got opcode " + message.opcode() + ": " + message.text());
            }
            if (!message.text().replace(" ", "").equals("{\"type\":\"ka\"}")) {
                return message.text();
            }
        }
    }

    /** Reads until the server's close frame, skipping other messages; fails on timeout or a drop without one. */
    public Frame readClose() throws IOException {
        try {
            while (true) {
                Frame message = read();
                if (message.opcode() == CLOSE) {
                    return message;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within " + timeout.toMillis() + " ms", e);
        }
    }

    /** True when the server closed the TCP connection (end of stream, or a reset) within the timeout. */
    public boolean endOfStream() {
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
