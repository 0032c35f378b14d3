package io.switchboard.core.spi;

import java.util.Map;

/**
 * A connection as the store keeps it.
 *
 * @param connectionId the gateway's connection id
 * @param connectedAtMillis when the socket opened (epoch milliseconds); stores derive their expiry from it
 * @param attributes small flat facts about the connection (auth mode, identity), never secrets
 */
public record ConnectionRecord(String connectionId, long connectedAtMillis, Map<String, String> attributes) {
    public ConnectionRecord {
        attributes = Map.copyOf(attributes);
    }
}
