package io.switchboard.client;

import java.util.List;

/**
 * The answer to a publish (HTTP 200 or {@code publish_success}): the events the server accepted and the events a
 * handler refused, each with its position in the request. A refused event does not make the publish fail.
 */
public record PublishResult(List<Success> successful, List<Failure> failed) {

    public PublishResult {
        successful = List.copyOf(successful);
        failed = List.copyOf(failed);
    }

    /** An accepted event: its server-assigned identifier and its index in the request's {@code events}. */
    public record Success(String identifier, int index) {
    }

    /** A refused event; {@code code} (an HTTP-like status) and {@code message} come from the handler and may be null. */
    public record Failure(String identifier, int index, Integer code, String message) {
    }
}
