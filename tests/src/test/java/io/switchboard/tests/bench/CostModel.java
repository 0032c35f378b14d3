package io.switchboard.tests.bench;

import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.testing.Dynalite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.switchboard.tests.bench.BenchSupport.f;
import static io.switchboard.tests.bench.BenchSupport.usd;

/**
 * Monthly cost of three workloads on Switchboard (API Gateway WebSocket + HTTP API + Lambda + DynamoDB) and on AWS
 * AppSync Events, from list prices ({@link #PRICES}, the one table), the DynamoDB units per operation measured in the
 * same run ({@link DynamoDbCostBenchmark} on dynalite) and stated assumptions for what cannot be measured here
 * (Lambda durations in the cloud). Prints a Markdown report and writes {@code target/bench/cost.md}.
 *
 * <p>Run: {@code bin/bench cost [--keepalive-minutes 4] [--send-ms 10] [--base-ms 20] [--audience 1000]}.
 */
public final class CostModel {

    /** One list price. */
    record Price(String service, String item, double usd, double per, String unit, String source) {
        double of(double quantity) {
            return quantity * usd / per;
        }
    }

    static final String SWITCHBOARD_PRICES = "protocol.md §13 (us-east-1 list prices)";
    static final Price WS_MESSAGE = new Price("API Gateway WebSocket", "messages, sent or received (32 KB increments)",
        1.00, 1e6, "million", SWITCHBOARD_PRICES);
    static final Price WS_MINUTE = new Price("API Gateway WebSocket", "connection-minutes", 0.25, 1e6, "million",
        SWITCHBOARD_PRICES);
    static final Price HTTP_REQUEST = new Price("API Gateway HTTP API", "requests (512 KB increments)", 1.00, 1e6,
        "million", "AWS API Gateway pricing page, first 300 million a month (not in protocol.md: verify)");
    static final Price LAMBDA_REQUEST = new Price("Lambda", "requests", 0.20, 1e6, "million", SWITCHBOARD_PRICES);
    static final Price LAMBDA_GB_SECOND = new Price("Lambda", "GB-seconds, arm64", 0.0000133334, 1, "GB-s",
        SWITCHBOARD_PRICES);
    static final Price DYNAMODB_WRU = new Price("DynamoDB on-demand", "write request units", 0.625, 1e6, "million",
        SWITCHBOARD_PRICES + "; TTL deletes are free");
    static final Price DYNAMODB_RRU = new Price("DynamoDB on-demand", "read request units", 0.125, 1e6, "million",
        SWITCHBOARD_PRICES);
    static final Price APPSYNC_OPERATION = new Price("AppSync Events", "operations (5 KB increments): connects, "
        + "subscribes, inbound publishes, each outbound delivery, handler invocations", 1.00, 1e6, "million",
        "protocol.md §7.2 (secondary quotes of the AppSync pricing page)");
    static final Price APPSYNC_MINUTE = new Price("AppSync Events", "connection-minutes", 0.08, 1e6, "million",
        "protocol.md §7.2");

    /** Every price the model uses, in the order of the table. */
    static final List<Price> PRICES = List.of(WS_MESSAGE, WS_MINUTE, HTTP_REQUEST, LAMBDA_REQUEST, LAMBDA_GB_SECOND,
        DYNAMODB_WRU, DYNAMODB_RRU, APPSYNC_OPERATION, APPSYNC_MINUTE);

    static final double MINUTES_PER_MONTH = 30 * 24 * 60;
    static final double DAYS_PER_MONTH = 30;

    /**
     * What cannot be measured on this machine, stated.
     *
     * @param keepAliveMinutes the keep-alive schedule (KeepAliveRateMinutes)
     * @param baseMillis billed duration of an invocation apart from its @connections sends (DynamoDB calls, JSON)
     * @param sendMillis one @connections POST from Lambda, in the same region
     * @param sendParallelism concurrent sends per invocation (SWITCHBOARD_FANOUT_PARALLELISM)
     * @param memoryGb function memory (the template's MemorySize 1024)
     * @param shardSize audience one invocation sends to itself before handing shards to fan-out workers
     * @param switchboardReconnectsPerDay API Gateway closes connections after 2 hours
     * @param appSyncReconnectsPerDay AppSync after 24 hours
     */
    record Assumptions(int keepAliveMinutes, double baseMillis, double sendMillis, int sendParallelism, double memoryGb,
                       int shardSize, double switchboardReconnectsPerDay, double appSyncReconnectsPerDay) {
        static Assumptions defaults() {
            return new Assumptions(4, 20, 10, 32, 1.0, 2_000, 12, 1);
        }

        /** Billed GB-seconds of one invocation that sends {@code sends} frames. */
        double gbSeconds(double sends) {
            double rounds = Math.ceil(sends / sendParallelism);
            return (baseMillis + rounds * sendMillis) / 1000.0 * memoryGb;
        }
    }

    /**
     * A month of one workload.
     *
     * @param connections clients connected all month
     * @param subscriptions subscriptions each client makes after every (re)connect
     * @param webSocketPublishes publishes sent over WebSocket in the month
     * @param httpPublishes publishes sent over HTTP in the month
     * @param eventBytes the event, as JSON text
     * @param channelLevels segments of the published channel (one DynamoDB query each)
     * @param audience subscriptions each publish reaches
     */
    record Workload(String name, String description, double connections, int subscriptions, double webSocketPublishes,
                    double httpPublishes, int eventBytes, int channelLevels, double audience) {
        double publishes() {
            return webSocketPublishes + httpPublishes;
        }

        double deliveries() {
            return publishes() * audience;
        }
    }

    /** One line of a bill. */
    record Line(String service, String item, double quantity, double usd) {}

    /** A bill: lines and their total. */
    record Bill(List<Line> lines) {
        double total() {
            return lines.stream().mapToDouble(Line::usd).sum();
        }

        double of(String service) {
            return lines.stream().filter(l -> l.service().equals(service)).mapToDouble(Line::usd).sum();
        }
    }

    /** DynamoDB units per operation, from the measurement. */
    record DynamoDbUnits(double connectWru, double subscribeWru, double disconnectRru, double disconnectWruBase,
                         double disconnectWruPerSubscription, double rruPerQueryPage, double rruPerIndexEntry,
                         double walkRruPerConnection) {

        static DynamoDbUnits from(DynamoDbCostBenchmark.Result measured) {
            DynamoDbCostBenchmark.Row disconnect0 = measured.row("disconnect.0");
            DynamoDbCostBenchmark.Row disconnect5 = measured.row("disconnect.5");
            DynamoDbCostBenchmark.Row crowd = measured.row("publish.1.N");
            DynamoDbCostBenchmark.Row empty = measured.row("publish.1.0");
            DynamoDbCostBenchmark.Row walk = measured.row("keepalive.walk");
            return new DynamoDbUnits(
                measured.row("connect").write(),
                measured.row("subscribe").write(),
                disconnect0.read(),
                disconnect0.write(),
                (disconnect5.write() - disconnect0.write()) / 5,
                empty.read(),
                // the crowd's publish: one empty wildcard query plus the audience's index entries
                (crowd.read() - empty.read()) / measured.audience(),
                walk.read() / measured.walked());
        }

        /** Read units of a publish: one query per level, each at least one page; the audience's entries on top. */
        double publishRru(int levels, double audience) {
            return Math.max(levels * rruPerQueryPage, (levels - 1) * rruPerQueryPage + audience * rruPerIndexEntry);
        }

        double disconnectWru(int subscriptions) {
            return disconnectWruBase + subscriptions * disconnectWruPerSubscription;
        }

        /** One walk of the connections index: at least one page per shard. */
        double walkRru(double connections) {
            return Math.max(DynamoDbSubscriptionStore.CONNECTION_SHARDS * rruPerQueryPage, connections * walkRruPerConnection);
        }
    }

    private CostModel() {}

    public static void main(String[] args) {
        Assumptions a = Assumptions.defaults();
        int audience = 1000;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--keepalive-minutes" -> a = new Assumptions(Integer.parseInt(value), a.baseMillis(), a.sendMillis(),
                    a.sendParallelism(), a.memoryGb(), a.shardSize(), a.switchboardReconnectsPerDay(), a.appSyncReconnectsPerDay());
                case "--send-ms" -> a = new Assumptions(a.keepAliveMinutes(), a.baseMillis(), Double.parseDouble(value),
                    a.sendParallelism(), a.memoryGb(), a.shardSize(), a.switchboardReconnectsPerDay(), a.appSyncReconnectsPerDay());
                case "--base-ms" -> a = new Assumptions(a.keepAliveMinutes(), Double.parseDouble(value), a.sendMillis(),
                    a.sendParallelism(), a.memoryGb(), a.shardSize(), a.switchboardReconnectsPerDay(), a.appSyncReconnectsPerDay());
                case "--audience" -> audience = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                    + " (--keepalive-minutes N, --send-ms N, --base-ms N, --audience N)");
            }
            i++;
        }
        DynamoDbCostBenchmark.Result measured;
        try (Dynalite dynalite = Dynalite.start()) {
            measured = DynamoDbCostBenchmark.measure(dynalite.endpoint(), audience);
        }
        String report = report(measured, a);
        Path file = BenchSupport.output("cost.md");
        BenchSupport.write(file, report);
        System.out.println(report);
        System.out.println("written to " + file);
    }

    // ------------------------------------------------------------------ the workloads

    static List<Workload> workloads() {
        return List.of(
            new Workload("1. Chat, 10k always-on clients",
                "10,000 clients connected all month, in rooms of 10; each subscribes to its room and to /chat/notices "
                    + "(2 subscriptions) and sends 20 messages a day over WebSocket to /chat/rooms/<room> (3 levels), "
                    + "500-byte events, each delivered to the 10 members of the room",
                10_000, 2, 10_000 * 20 * DAYS_PER_MONTH, 0, 500, 3, 10),
            new Workload("2. Broadcast, 100 a day to 50k subscribers",
                "50,000 clients connected all month, each subscribed once to /news/live (2 levels); a backend publishes "
                    + "100 events a day over HTTP, 2 KB each, to all 50,000",
                50_000, 1, 0, 100 * DAYS_PER_MONTH, 2_048, 2, 50_000),
            new Workload("3. IoT, 20 KB events",
                "1,000 devices each publish a 20 KB event every minute over HTTP to /iot/<site>/<device> (3 levels); "
                    + "20 dashboards connected all month, subscribed to /iot/* (1 subscription), receive every event",
                20, 1, 0, 1_000 * 60 * 24 * DAYS_PER_MONTH, 20 * 1024, 3, 20));
    }

    // ------------------------------------------------------------------ Switchboard

    static Bill switchboard(Workload w, DynamoDbUnits db, Assumptions a) {
        List<Line> lines = new ArrayList<>();
        double connectCycles = w.connections() * a.switchboardReconnectsPerDay() * DAYS_PER_MONTH;
        double minutes = w.connections() * MINUTES_PER_MONTH;
        double keepAliveRuns = MINUTES_PER_MONTH / a.keepAliveMinutes();
        double keepAlives = w.connections() * keepAliveRuns;
        int dataFrameBytes = w.eventBytes() + 200; // {"type":"data","id":"…","event":"…"} around the escaped event
        double wsMessagesPerDelivery = Math.ceil(dataFrameBytes / (32.0 * 1024));
        double wsPublishMessages = Math.ceil((w.eventBytes() + 200) / (32.0 * 1024));

        // API Gateway WebSocket: received frames, the route responses sent back, deliveries and keep-alives
        double framesIn = connectCycles * (1 + w.subscriptions()) + w.webSocketPublishes() * wsPublishMessages;
        double responses = connectCycles * (2 + w.subscriptions()) + w.webSocketPublishes(); // ack + ka, *_success
        lines.add(line(WS_MINUTE, minutes, "connection-minutes"));
        lines.add(line(WS_MESSAGE, framesIn + responses, "client frames and their replies"));
        lines.add(line(WS_MESSAGE, w.deliveries() * wsMessagesPerDelivery, "data deliveries (@connections)"));
        lines.add(line(WS_MESSAGE, keepAlives, "keep-alive ka every " + a.keepAliveMinutes() + " min"));
        if (w.httpPublishes() > 0) {
            lines.add(line(HTTP_REQUEST, w.httpPublishes() * Math.ceil(w.eventBytes() / (512.0 * 1024)), "HTTP publishes"));
        }

        // Lambda: authorizer + $connect + $disconnect per connection, one MessageFunction per frame, PublishFunction per
        // HTTP publish, fan-out workers above the shard size, the keep-alive runs
        double workersPerPublish = w.audience() > a.shardSize() ? Math.ceil(w.audience() / a.shardSize()) : 0;
        double sendsPerInvocation = workersPerPublish > 0 ? w.audience() / workersPerPublish : w.audience();
        double invocations = connectCycles * (3 + 1 + w.subscriptions()) + w.publishes() * (1 + workersPerPublish)
            + keepAliveRuns;
        double gbSeconds = connectCycles * (3 + 1 + w.subscriptions()) * a.gbSeconds(0)
            + w.publishes() * (workersPerPublish > 0
                ? a.gbSeconds(0) + workersPerPublish * a.gbSeconds(sendsPerInvocation)
                : a.gbSeconds(w.audience()))
            + keepAliveRuns * a.gbSeconds(w.connections());
        lines.add(line(LAMBDA_REQUEST, invocations, "invocations"));
        lines.add(line(LAMBDA_GB_SECOND, gbSeconds, "duration at " + (int) (a.memoryGb() * 1024) + " MB"));

        // DynamoDB, from the measured units per operation
        double wru = connectCycles * (db.connectWru() + w.subscriptions() * db.subscribeWru()
            + db.disconnectWru(w.subscriptions()));
        double rru = connectCycles * db.disconnectRru() + w.publishes() * db.publishRru(w.channelLevels(), w.audience())
            + keepAliveRuns * db.walkRru(w.connections());
        lines.add(line(DYNAMODB_WRU, wru, "connect, subscribe, disconnect"));
        lines.add(line(DYNAMODB_RRU, rru, "publish lookups, disconnect, keep-alive walks"));
        return new Bill(List.copyOf(lines));
    }

    // ------------------------------------------------------------------ AppSync Events

    static Bill appSync(Workload w) {
        List<Line> lines = new ArrayList<>();
        double connectCycles = w.connections() * Assumptions.defaults().appSyncReconnectsPerDay() * DAYS_PER_MONTH;
        double increments = Math.ceil(w.eventBytes() / (5.0 * 1024));
        lines.add(line(APPSYNC_MINUTE, w.connections() * MINUTES_PER_MONTH, "connection-minutes"));
        lines.add(line(APPSYNC_OPERATION, connectCycles * (1 + w.subscriptions()), "connects and subscribes"));
        lines.add(line(APPSYNC_OPERATION, w.publishes() * increments, "inbound publishes (" + (int) increments + " × 5 KB)"));
        lines.add(line(APPSYNC_OPERATION, w.deliveries() * increments, "outbound deliveries (" + (int) increments + " × 5 KB)"));
        return new Bill(List.copyOf(lines));
    }

    private static Line line(Price price, double quantity, String what) {
        return new Line(price.service(), what, quantity, price.of(quantity));
    }

    // ------------------------------------------------------------------ the report

    static String report(DynamoDbCostBenchmark.Result measured, Assumptions a) {
        DynamoDbUnits db = DynamoDbUnits.from(measured);
        StringBuilder sb = new StringBuilder("# Monthly cost: Switchboard vs AppSync Events\n\n");
        sb.append("Computed ").append(BenchSupport.now()).append(" by `bin/bench cost` (DynamoDB units measured in the same run ")
            .append("on dynalite, ").append(measured.load()).append("). A month is 30 days. Data transfer (the same EC2 rates ")
            .append("on both) and free tiers are left out.\n\n");

        sb.append("## Prices (the one table)\n\n| service | item | price | source |\n|---|---|---:|---|\n");
        for (Price p : PRICES) {
            sb.append("| ").append(p.service()).append(" | ").append(p.item()).append(" | $")
                .append(new java.math.BigDecimal(Double.toString(p.usd())).setScale(Math.max(2,
                    new java.math.BigDecimal(Double.toString(p.usd())).stripTrailingZeros().scale()), java.math.RoundingMode.UNNECESSARY)
                    .toPlainString()).append(" per ").append(p.unit())
                .append(" | ").append(p.source()).append(" |\n");
        }

        sb.append("\n## Assumptions\n\n")
            .append("- Lambda (arm64, ").append((int) (a.memoryGb() * 1024)).append(" MB): each invocation bills ")
            .append(f(a.baseMillis(), 0)).append(" ms of its own work plus ").append(f(a.sendMillis(), 0))
            .append(" ms per round of ").append(a.sendParallelism()).append(" concurrent @connections POSTs. Not measured ")
            .append("here (no AWS); change with --base-ms and --send-ms. Audiences above ").append(a.shardSize())
            .append(" are split into shards for fan-out workers (one more invocation each).\n")
            .append("- Connections: API Gateway closes every connection after 2 hours, so an always-on client reconnects ")
            .append(f(a.switchboardReconnectsPerDay(), 0)).append(" times a day (authorizer + $connect + $disconnect + ")
            .append("connection_init + its subscribes each time); AppSync after 24 hours (1 a day).\n")
            .append("- Keep-alive: KeepAliveFunction sends one ka per connection every ").append(a.keepAliveMinutes())
            .append(" minutes (each an API Gateway message), walking the connections index once per run. AppSync's own ")
            .append("ka every 60 s is assumed not billed (the pricing quotes count client pings, not server keep-alives); if ")
            .append("it were, add 43,200 operations per connection a month ($0.043).\n")
            .append("- WebSocket frames: connection_init is answered with connection_ack and ka, every other frame with one ")
            .append("reply; each is a billed message on API Gateway. AppSync: a connect and each subscribe are one operation.\n")
            .append("- DynamoDB per operation (measured): connect ").append(f(db.connectWru(), 2)).append(" WRU, subscribe ")
            .append(f(db.subscribeWru(), 2)).append(" WRU, disconnect ").append(f(db.disconnectRru(), 2)).append(" RRU + ")
            .append(f(db.disconnectWruBase(), 2)).append(" WRU + ").append(f(db.disconnectWruPerSubscription(), 2))
            .append(" WRU per subscription, a publish ").append(f(db.rruPerQueryPage(), 2)).append(" RRU per query page and ")
            .append(String.format(Locale.ROOT, "%.5f", db.rruPerIndexEntry())).append(" RRU per subscriber entry read, the ")
            .append("keep-alive walk ").append(String.format(Locale.ROOT, "%.5f", db.walkRruPerConnection()))
            .append(" RRU per connection (at least 16 pages).\n");

        sb.append("\n## Comparison\n\n| workload | Switchboard / month | AppSync Events / month | cheaper |\n|---|---:|---:|---|\n");
        List<String> details = new ArrayList<>();
        for (Workload w : workloads()) {
            Bill s = switchboard(w, db, a);
            Bill p = appSync(w);
            double ratio = s.total() / p.total();
            sb.append("| ").append(w.name()).append(" | ").append(usd(s.total())).append(" | ").append(usd(p.total()))
                .append(" | ").append(ratio < 1 ? "Switchboard (" + f(1 / ratio, 1) + "× less)" : "AppSync (" + f(ratio, 1) + "× less)")
                .append(" |\n");
            details.add(detail(w, s, p));
        }
        sb.append("\n");
        details.forEach(sb::append);

        sb.append("## Keep-alive cost\n\nPer 10,000 always-on connections a month (").append(f(MINUTES_PER_MONTH, 0))
            .append(" minutes), for the two documented settings:\n\n")
            .append("| KeepAliveRateMinutes / ConnectionTimeoutMs | ka messages | API Gateway | Lambda | DynamoDB | total |\n")
            .append("|---|---:|---:|---:|---:|---:|\n");
        for (int[] setting : new int[][] {{4, 300_000}, {9, 720_000}}) {
            double runs = MINUTES_PER_MONTH / setting[0];
            double messages = 10_000 * runs;
            double api = WS_MESSAGE.of(messages);
            double lambda = LAMBDA_REQUEST.of(runs) + LAMBDA_GB_SECOND.of(runs * a.gbSeconds(10_000));
            double dynamo = DYNAMODB_RRU.of(runs * db.walkRru(10_000));
            sb.append("| ").append(setting[0]).append(" min / ").append(setting[1]).append(" | ").append(f(messages, 0))
                .append(" | ").append(usd(api)).append(" | ").append(usd(lambda)).append(" | ").append(usd(dynamo))
                .append(" | ").append(usd(api + lambda + dynamo)).append(" |\n");
        }
        sb.append("\nFor comparison, the connection-minutes of those 10,000 connections cost ")
            .append(usd(WS_MINUTE.of(10_000 * MINUTES_PER_MONTH))).append(" on API Gateway and ")
            .append(usd(APPSYNC_MINUTE.of(10_000 * MINUTES_PER_MONTH))).append(" on AppSync.\n");

        sb.append("\n## Where each is cheaper\n\n")
            .append("- AppSync Events is cheaper for many idle, always-on connections: $0.08 against $0.25 per million ")
            .append("connection-minutes, no keep-alive messages to pay for, one reconnect a day instead of twelve, no Lambda or ")
            .append("DynamoDB behind connects and subscribes. Workloads 1 and 2 are dominated by that.\n")
            .append("- Switchboard is cheaper for large events: API Gateway meters messages in 32 KB increments, AppSync in ")
            .append("5 KB ones, so a 20 KB event delivered costs 1 message against 4 operations (workload 3). Below 5 KB a ")
            .append("delivery costs $1 per million on both, and Switchboard adds Lambda time and DynamoDB reads per publish.\n")
            .append("- Switchboard's keep-alive is a real cost (about as much as the connection-minutes at a 4-minute rate); ")
            .append("9 minutes with ConnectionTimeoutMs 720000 halves it.\n");
        return sb.toString();
    }

    private static String detail(Workload w, Bill s, Bill p) {
        StringBuilder sb = new StringBuilder("### ").append(w.name()).append("\n\n").append(w.description())
            .append(". Per month: ").append(f(w.publishes(), 0)).append(" publishes, ").append(f(w.deliveries(), 0))
            .append(" deliveries.\n\n| on | service | what | quantity | cost |\n|---|---|---|---:|---:|\n");
        for (Line l : s.lines()) {
            sb.append("| Switchboard | ").append(l.service()).append(" | ").append(l.item()).append(" | ")
                .append(f(l.quantity(), 0)).append(" | ").append(usd(l.usd())).append(" |\n");
        }
        sb.append("| **Switchboard** | | **total** | | **").append(usd(s.total())).append("** |\n");
        for (Line l : p.lines()) {
            sb.append("| AppSync | ").append(l.service()).append(" | ").append(l.item()).append(" | ")
                .append(f(l.quantity(), 0)).append(" | ").append(usd(l.usd())).append(" |\n");
        }
        sb.append("| **AppSync** | | **total** | | **").append(usd(p.total())).append("** |\n\n");
        return sb.toString();
    }
}
