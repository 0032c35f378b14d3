package io.switchboard.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * Every frame of the AppSync Events WebSocket protocol, both directions, as immutable records named after the
 * wire {@code type}. {@link FrameCodec} turns them into text and back.
 */
public sealed interface Frame {

    /** The wire {@code type} of this frame. */
    String type();

    // ------------------------------------------------------------------ client to server

    record ConnectionInit() implements Frame {
        public String type() { return "connection_init"; }
    }

    record Subscribe(String id, String channel, Map<String, String> authorization) implements Frame {
        public Subscribe { authorization = authorization == null ? Map.of() : Map.copyOf(authorization); }
        public String type() { return "subscribe"; }
    }

    record Unsubscribe(String id) implements Frame {
        public String type() { return "unsubscribe"; }
    }

    record Publish(String id, String channel, List<String> events, Map<String, String> authorization) implements Frame {
        public Publish {
            events = List.copyOf(events);
            authorization = authorization == null ? Map.of() : Map.copyOf(authorization);
        }
        public String type() { return "publish"; }
    }

    // ------------------------------------------------------------------ server to client

    record ConnectionAck(long connectionTimeoutMs) implements Frame {
        public String type() { return "connection_ack"; }
    }

    record ConnectionError(List<ProtocolError> errors) implements Frame {
        public ConnectionError { errors = List.copyOf(errors); }
        public String type() { return "connection_error"; }
    }

    record KeepAlive() implements Frame {
        public String type() { return "ka"; }
    }

    record SubscribeSuccess(String id) implements Frame {
        public String type() { return "subscribe_success"; }
    }

    record SubscribeError(String id, List<ProtocolError> errors) implements Frame {
        public SubscribeError { errors = List.copyOf(errors); }
        public String type() { return "subscribe_error"; }
    }

    /** One event for one subscription; {@code event} is the event's JSON text, sent as a JSON string. */
    record Data(String id, String event) implements Frame {
        public String type() { return "data"; }
    }

    record BroadcastError(String id, List<ProtocolError> errors) implements Frame {
        public BroadcastError { errors = List.copyOf(errors); }
        public String type() { return "broadcast_error"; }
    }

    record UnsubscribeSuccess(String id) implements Frame {
        public String type() { return "unsubscribe_success"; }
    }

    record UnsubscribeError(String id, List<ProtocolError> errors) implements Frame {
        public UnsubscribeError { errors = List.copyOf(errors); }
        public String type() { return "unsubscribe_error"; }
    }

    record PublishSuccess(String id, List<PublishedEvent> successful, List<FailedEvent> failed) implements Frame {
        public PublishSuccess {
            successful = List.copyOf(successful);
            failed = List.copyOf(failed);
        }
        public String type() { return "publish_success"; }
    }

    record PublishError(String id, List<ProtocolError> errors) implements Frame {
        public PublishError { errors = List.copyOf(errors); }
        public String type() { return "publish_error"; }
    }

    /** The generic error frame; {@code id} is {@code null} when the failing frame had no usable id. */
    record Error(String id, List<ProtocolError> errors) implements Frame {
        public Error { errors = List.copyOf(errors); }
        public String type() { return "error"; }
    }

    /** An entry of {@code successful[]}: the server-assigned identifier of an accepted event and its index. */
    record PublishedEvent(String identifier, int index) {}

    /** An entry of {@code failed[]}: an event a handler refused; {@code code} may be {@code null}. */
    record FailedEvent(String identifier, int index, Integer code, String message) {}
}
