package io.switchboard.core.spi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.switchboard.core.protocol.FrameCodec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of one publish's audience, handed to a fan-out worker: the published channel (for logs), the
 * pre-serialised {@code data} frame parts of its events, in order, and the subscriptions to deliver them to.
 * Every subscriber gets every part, in order. {@code generation} counts hand-offs: a worker that runs out of time
 * hands its remainder on with {@code generation + 1}, and the engine stops handing on after a bound.
 *
 * <p>On the wire (the payload of the fan-out function, at most {@link #MAX_BYTES}):
 * <pre>{"fanOut":1,"channel":"/default/news","generation":0,"events":["{\"a\":1}"],"subscribers":[["connId","subId"]]}</pre>
 * Each {@code events} entry is the event's JSON string literal exactly as the publisher serialised it for the data
 * frame, copied in and out verbatim: the worker splices it into frames without serialising it again, and an event
 * is escaped once, not twice, in the payload.
 *
 * @param channel the channel published to
 * @param parts the data-frame parts after the subscription id, one per event: {@code ","event":"…"}}
 * @param subscribers who receives them
 * @param generation how many times this work has been handed on (0 from the publisher)
 */
public record FanOutShard(String channel, List<String> parts, List<Subscriber> subscribers, int generation) {

    /** The payload limit this format is sized for: Lambda's 1 MB for asynchronous invocations, with room to spare. */
    public static final int MAX_BYTES = 1_000_000;
    /** The format version written as {@code fanOut}. */
    public static final int VERSION = 1;
    /** What every data-frame part starts with; the event's JSON string literal follows. */
    public static final String PART_HEAD = "\",\"event\":";
    /** What every data-frame part ends with. */
    public static final String PART_TAIL = "}";

    private static final int FIXED_BYTES = 96;

    public FanOutShard {
        parts = List.copyOf(parts);
        subscribers = List.copyOf(subscribers);
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative: " + generation);
        }
    }

    /** The data-frame part of one event, from its JSON string literal (as {@link FrameCodec#quote} makes it). */
    public static String part(String quotedEvent) {
        return PART_HEAD + quotedEvent + PART_TAIL;
    }

    /** This shard with other subscribers (and the same parts). */
    public FanOutShard withSubscribers(List<Subscriber> others, int nextGeneration) {
        return new FanOutShard(channel, parts, others, nextGeneration);
    }

    // ------------------------------------------------------------------ sizes

    /** Bytes the parts take in the payload, for sizing shards before encoding them. */
    public static int partsBytes(String channel, List<String> parts) {
        long bytes = FIXED_BYTES + utf8Length(FrameCodec.quote(channel == null ? "" : channel));
        for (String part : parts) {
            bytes += utf8Length(part) - PART_HEAD.length() - PART_TAIL.length() + 1;
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** Bytes one subscriber takes in the payload ({@code ["connId","subId"],}). */
    public static int subscriberBytes(Subscriber subscriber) {
        return literalBytes(subscriber.connectionId()) + literalBytes(subscriber.subscriptionId()) + 4;
    }

    private static int literalBytes(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return utf8Length(FrameCodec.quote(value));
            }
        }
        return value.length() + 2;
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    // ------------------------------------------------------------------ encoding

    /** The payload, UTF-8. */
    public byte[] toJson() {
        int size = partsBytes(channel, parts);
        for (Subscriber s : subscribers) {
            size += subscriberBytes(s);
        }
        StringBuilder sb = new StringBuilder(Math.min(size, MAX_BYTES * 2));
        sb.append("{\"fanOut\":").append(VERSION)
            .append(",\"channel\":").append(FrameCodec.quote(channel == null ? "" : channel))
            .append(",\"generation\":").append(generation)
            .append(",\"events\":[");
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (!part.startsWith(PART_HEAD) || !part.endsWith(PART_TAIL)) {
                throw new IllegalStateException("parts[" + i + "] is not a data-frame part");
            }
            sb.append(i > 0 ? "," : "").append(part, PART_HEAD.length(), part.length() - PART_TAIL.length());
        }
        sb.append("],\"subscribers\":[");
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber s = subscribers.get(i);
            sb.append(i > 0 ? ",[" : "[").append(FrameCodec.quote(s.connectionId())).append(',')
                .append(FrameCodec.quote(s.subscriptionId())).append(']');
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Reads a payload written by {@link #toJson()}; unknown fields are ignored.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static FanOutShard parse(byte[] json) {
        try (JsonParser p = FrameCodec.JSON.getFactory().createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "a fan-out shard is a JSON object");
            Integer version = null;
            String channel = null;
            int generation = 0;
            List<String> parts = null;
            List<Subscriber> subscribers = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "fanOut" -> {
                        expect(value == JsonToken.VALUE_NUMBER_INT, "'fanOut' must be the format version");
                        version = p.getIntValue();
                    }
                    case "channel" -> {
                        expect(value == JsonToken.VALUE_STRING, "'channel' must be a string");
                        channel = p.getText();
                    }
                    case "generation" -> {
                        expect(value == JsonToken.VALUE_NUMBER_INT && p.getIntValue() >= 0,
                            "'generation' must be a whole number >= 0");
                        generation = p.getIntValue();
                    }
                    case "events" -> parts = events(p, json);
                    case "subscribers" -> subscribers = subscribers(p);
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null, "trailing content after the shard");
            expect(version != null && version == VERSION, "'fanOut' must be " + VERSION + ", got " + version);
            expect(parts != null && !parts.isEmpty(), "'events' must list at least one event");
            expect(subscribers != null, "'subscribers' is required");
            return new FanOutShard(channel, parts, subscribers, generation);
        } catch (IOException e) {
            throw new IllegalArgumentException("a fan-out shard must be valid JSON: " + e.getMessage(), e);
        }
    }

    /** The events array: each string token copied verbatim (its raw literal) from the payload. */
    private static List<String> events(JsonParser p, byte[] json) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, "'events' must be an array of strings");
        List<String> parts = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(t == JsonToken.VALUE_STRING, "'events' must be an array of strings");
            long start = p.currentTokenLocation().getByteOffset();
            expect(start >= 0 && start < json.length && json[(int) start] == '"', "cannot locate events[" + parts.size() + "]");
            int end = literalEnd(json, (int) start);
            parts.add(PART_HEAD + new String(json, (int) start, end - (int) start, StandardCharsets.UTF_8) + PART_TAIL);
        }
        return parts;
    }

    /** The index after the closing quote of the JSON string literal starting at {@code start}; checks its escapes. */
    private static int literalEnd(byte[] json, int start) {
        int i = start + 1;
        while (i < json.length) {
            byte b = json[i];
            if (b == '"') {
                return i + 1;
            }
            if (b >= 0 && b < 0x20) {
                throw new IllegalArgumentException("an event literal contains a raw control character");
            }
            if (b == '\\') {
                expect(i + 1 < json.length, "an event literal ends inside an escape");
                byte e = json[i + 1];
                if (e == 'u') {
                    expect(i + 5 < json.length, "an event literal ends inside a \\u escape");
                    for (int k = i + 2; k < i + 6; k++) {
                        expect(Character.digit(json[k], 16) >= 0, "an event literal has a bad \\u escape");
                    }
                    i += 6;
                    continue;
                }
                expect("\"\\/bfnrt".indexOf(e) >= 0, "an event literal has a bad escape");
                i += 2;
                continue;
            }
            i++;
        }
        throw new IllegalArgumentException("an event literal is not terminated");
    }

    private static List<Subscriber> subscribers(JsonParser p) throws IOException {
        expect(p.currentToken() == JsonToken.START_ARRAY, "'subscribers' must be an array of [connectionId, subscriptionId]");
        List<Subscriber> subscribers = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(t == JsonToken.START_ARRAY && p.nextToken() == JsonToken.VALUE_STRING,
                "subscribers[" + subscribers.size() + "] must be [connectionId, subscriptionId]");
            String connectionId = p.getText();
            expect(p.nextToken() == JsonToken.VALUE_STRING,
                "subscribers[" + subscribers.size() + "] must be [connectionId, subscriptionId]");
            String subscriptionId = p.getText();
            expect(p.nextToken() == JsonToken.END_ARRAY,
                "subscribers[" + subscribers.size() + "] must be [connectionId, subscriptionId]");
            subscribers.add(new Subscriber(connectionId, subscriptionId));
        }
        return subscribers;
    }

    private static void expect(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("Invalid fan-out shard: " + message);
        }
    }
}
