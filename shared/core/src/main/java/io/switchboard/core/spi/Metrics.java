package io.switchboard.core.spi;

/**
 * Where the engine counts what it does, at the moment it does it: connections, subscriptions, publishes and the
 * outcome of every fan-out. The functions plug in CloudWatch Embedded Metric Format; {@link #none()} (the default)
 * records nothing. Implementations are called on the thread handling the request, must be cheap and must not throw.
 * Names and units are stable: dashboards and alarms refer to them.
 */
@FunctionalInterface
public interface Metrics {

    /** Adds {@code value} to {@code metric} (a count, or one latency sample in milliseconds). */
    void add(Metric metric, double value);

    /** Records nothing. */
    static Metrics none() {
        return (metric, value) -> { };
    }

    /** Every metric the engine reports, with its CloudWatch name and unit. */
    enum Metric {
        /** A WebSocket connection was accepted with valid credentials and recorded. */
        CONNECTS("Connects", Unit.COUNT),
        /** A subscription was stored. */
        SUBSCRIBES("Subscribes", Unit.COUNT),
        /** A publish request (WebSocket or HTTP) was accepted. */
        PUBLISHES("Publishes", Unit.COUNT),
        /** A {@code data} frame reached a connection. */
        DELIVERIES("Deliveries", Unit.COUNT),
        /** A subscriber's connection was found gone during a fan-out (and purged). */
        GONE_CONNECTIONS("GoneConnections", Unit.COUNT),
        /** A {@code data} frame could not be sent, after the sender's retries. */
        FAILED_SENDS("FailedSends", Unit.COUNT),
        /** An accepted event that an {@code onPublish} handler chose not to broadcast. */
        DROPPED_EVENTS("DroppedEvents", Unit.COUNT),
        /** From an accepted publish to its last frame sent: subscriber lookup plus fan-out. */
        FAN_OUT_LATENCY("FanOutLatency", Unit.MILLISECONDS);

        private final String metricName;
        private final Unit unit;

        Metric(String metricName, Unit unit) {
            this.metricName = metricName;
            this.unit = unit;
        }

        /** The name CloudWatch shows. */
        public String metricName() {
            return metricName;
        }

        public Unit unit() {
            return unit;
        }
    }

    /** CloudWatch units, spelled as CloudWatch spells them. */
    enum Unit {
        COUNT("Count"),
        MILLISECONDS("Milliseconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }
}
