package io.switchboard.tests.bench;

import io.switchboard.aws.DynamoDbSubscriptionStore;
import io.switchboard.aws.DynamoDbTables;
import io.switchboard.core.channel.ChannelPath;
import io.switchboard.core.channel.ChannelPattern;
import io.switchboard.core.spi.ConnectionRecord;
import io.switchboard.core.spi.SubscriptionRejectedException;
import io.switchboard.testing.Dynalite;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import static io.switchboard.tests.bench.BenchSupport.f;

/**
 * What each protocol operation costs in DynamoDB: the calls {@link DynamoDbSubscriptionStore} makes and the
 * read and write units they consume, measured through the real store on dynalite with {@link CapacityMeter}
 * ({@code ReturnConsumedCapacity} plus the documented rules dynalite does not apply). The store is built as
 * production builds it (the server's 1 MB query pages, parallel per-pattern queries). Each figure is an average over
 * {@code repeats} fresh operations where that matters.
 *
 * <p>Run: {@code bin/bench dynamodb} (prints the table and writes {@code target/bench/dynamodb.md});
 * {@code DynamoDbCostTest} runs the same measurement in the normal build and asserts the bounds.
 */
public final class DynamoDbCostBenchmark {

    /** On-demand list prices (us-east-1), dollars per unit: see {@link CostModel#PRICES}. */
    static final double PRICE_PER_RRU = 0.125 / 1e6;
    static final double PRICE_PER_WRU = 0.625 / 1e6;

    /**
     * One measured operation.
     *
     * @param key stable name the cost model looks up
     * @param operation what a client does
     * @param detail the store calls behind it and the data it ran on
     * @param usage the calls and units of all {@code count} operations
     * @param count operations measured
     */
    record Row(String key, String operation, String detail, CapacityMeter.Usage usage, int count) {
        double calls(String op) {
            return (double) usage.calls(op) / count;
        }

        double callsTotal() {
            return (double) usage.calls.values().stream().mapToLong(Long::longValue).sum() / count;
        }

        double read() {
            return usage.read / count;
        }

        double write() {
            return usage.write() / count;
        }

        double reportedRead() {
            return usage.reportedRead / count;
        }

        double reportedWrite() {
            return usage.reportedWrite / count;
        }

        double dollarsPerMillion() {
            return (read() * PRICE_PER_RRU + write() * PRICE_PER_WRU) * 1e6;
        }

        String callsText() {
            StringBuilder sb = new StringBuilder();
            usage.calls.forEach((op, n) -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(f((double) n / count, n % count == 0 ? 0 : 2)).append(" ").append(op));
            return sb.length() == 0 ? "none" : sb.toString();
        }
    }

    /** Every row, and the machine's load when they were measured. */
    record Result(List<Row> rows, int audience, int walked, String load, String when) {
        Row row(String key) {
            return rows.stream().filter(r -> r.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measurement " + key));
        }
    }

    private DynamoDbCostBenchmark() {}

    public static void main(String[] args) {
        int audience = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        try (Dynalite dynalite = Dynalite.start()) {
            Result result = measure(dynalite.endpoint(), audience);
            String markdown = markdown(result);
            Path file = BenchSupport.output("dynamodb.md");
            BenchSupport.write(file, markdown);
            System.out.println(markdown);
            System.out.println("written to " + file);
        }
    }

    /** Measures every operation on a fresh table; {@code audience} is the size of the large publish and walk. */
    static Result measure(URI endpoint, int audience) {
        CapacityMeter meter = new CapacityMeter();
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "bench")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(meter))
                .build()) {
            String table = "bench-" + System.nanoTime();
            DynamoDbTables.createIfMissing(client, table);
            DynamoDbSubscriptionStore store = new DynamoDbSubscriptionStore(client, table, Clock.systemUTC());
            return new Measurement(store, meter, audience).run();
        }
    }

    private static final class Measurement {
        private static final int REPEATS = 20;
        private final DynamoDbSubscriptionStore store;
        private final CapacityMeter meter;
        private final int audience;
        private final List<Row> rows = new ArrayList<>();
        private int ids;

        Measurement(DynamoDbSubscriptionStore store, CapacityMeter meter, int audience) {
            this.store = store;
            this.meter = meter;
            this.audience = audience;
        }

        Result run() {
            String load = BenchSupport.load();
            String when = BenchSupport.now();

            // connect: one PutItem of the connection item (also indexed in gsi2 for the keep-alive walk)
            List<String> connections = new ArrayList<>();
            row("connect", "connect ($connect)", "putConnection: a new connection item", REPEATS, i -> connections.add(connect()));
            row("connection_init", "connection_init", "no store call: the engine answers connection_ack and ka", 1, i -> { });
            row("subscribe", "subscribe", "addSubscription: counter update + subscription put (gsi1)", REPEATS,
                i -> subscribe(connections.get(i), "s1", "/default/room" + i));
            row("subscribe.duplicate", "subscribe, duplicate id (rejected)", "counter update, failed put, counter given back", 1,
                i -> rejected(() -> subscribe(connections.get(0), "s1", "/default/x")));
            String full = connect();
            store.addSubscription(full, "only", ChannelPattern.parse("/default/a"), 1);
            row("subscribe.limit", "subscribe beyond the limit (rejected)",
                "failed counter update; on dynalite + 2 GetItem (DynamoDB returns the item with the failure)", 1,
                i -> rejected(() -> store.addSubscription(full, "second", ChannelPattern.parse("/default/b"), 1)));
            row("unsubscribe", "unsubscribe", "removeSubscription: delete (gsi1 entry too) + counter update", REPEATS,
                i -> store.removeSubscription(connections.get(i), "s1"));

            // publish: one query per pattern level; the audience decides the pages and read units
            row("publish.1.0", "publish to /default (1 level), no subscriber", "findSubscribers: 1 pattern", REPEATS,
                i -> store.findSubscribers(ChannelPath.parse("/default")));
            String one = connect();
            subscribe(one, "exact", "/default");
            row("publish.1.1", "publish to /default, 1 subscriber", "findSubscribers: 1 pattern", REPEATS,
                i -> store.findSubscribers(ChannelPath.parse("/default")));
            List<String> crowd = new ArrayList<>();
            for (int i = 0; i < audience; i++) {
                String c = connect();
                crowd.add(c);
                subscribe(c, "s", "/default/crowd");
            }
            row("publish.1.N", "publish to /default/crowd (2 levels), " + audience + " subscribers",
                "findSubscribers: 2 patterns, " + audience + " index entries", 5,
                i -> store.findSubscribers(ChannelPath.parse("/default/crowd")));
            row("publish.5.0", "publish to /default/b/c/d/e (5 levels), no subscriber", "findSubscribers: 5 patterns", REPEATS,
                i -> store.findSubscribers(ChannelPath.parse("/default/b/c/d/e")));
            String deep = connect();
            List<String> levels = List.of("/default/b/c/d/e", "/default/b/c/d/*", "/default/b/c/*", "/default/b/*", "/default/*");
            for (int level = 0; level < levels.size(); level++) {
                subscribe(deep, "level" + level, levels.get(level));
            }
            row("publish.5.5", "publish to /default/b/c/d/e, 1 subscriber on each level", "findSubscribers: 5 patterns",
                REPEATS, i -> store.findSubscribers(ChannelPath.parse("/default/b/c/d/e")));
            for (String c : crowd) {
                subscribe(c, "w", "/default/*");
            }
            row("publish.5.N", "publish to /default/b/c/d/e, " + audience + " wildcard subscribers on /default/*",
                "findSubscribers: 5 patterns, " + (audience + 5) + " index entries", 5,
                i -> store.findSubscribers(ChannelPath.parse("/default/b/c/d/e")));

            // keep-alive: the walk over every connection, priced per connection
            int stored = ids;
            row("keepalive.walk", "keep-alive walk over " + stored + " connections (all shards)",
                "forEachConnection: 1 query per gsi2 shard (16) + pages", 1,
                i -> store.forEachConnection(0, 1, id -> { }));

            // disconnect: query the connection's items, batch-delete them
            for (int subs : new int[] {0, 1, 5, 200}) {
                List<String> leaving = new ArrayList<>();
                for (int i = 0; i < (subs == 200 ? 2 : REPEATS); i++) {
                    String c = connect();
                    for (int s = 0; s < subs; s++) {
                        subscribe(c, "s" + s, "/default/leave" + s);
                    }
                    leaving.add(c);
                }
                row("disconnect." + subs, "disconnect with " + subs + " subscription" + (subs == 1 ? "" : "s"),
                    "removeConnection: consistent query + BatchWriteItem deletes of " + (subs + 1) + " items", leaving.size(),
                    i -> store.removeConnection(leaving.get(i)));
            }
            return new Result(List.copyOf(rows), audience, stored, load, when);
        }

        private void row(String key, String operation, String detail, int count, IntConsumer action) {
            meter.reset();
            for (int i = 0; i < count; i++) {
                action.accept(i);
            }
            rows.add(new Row(key, operation, detail, meter.reset(), count));
        }

        private String connect() {
            String id = "bench" + (ids++) + "=";
            store.putConnection(new ConnectionRecord(id, System.currentTimeMillis(), Map.of("authMode", "API_KEY")));
            return id;
        }

        private void subscribe(String connectionId, String subscriptionId, String pattern) {
            store.addSubscription(connectionId, subscriptionId, ChannelPattern.parse(pattern), 200);
        }

        private static void rejected(Runnable call) {
            try {
                call.run();
                throw new IllegalStateException("expected a rejection");
            } catch (SubscriptionRejectedException expected) {
                // what this row measures
            }
        }
    }

    /** The table for the README, with how it was measured. */
    static String markdown(Result result) {
        StringBuilder sb = new StringBuilder();
        sb.append("# DynamoDB per operation\n\n")
            .append("Measured ").append(result.when()).append(" (").append(result.load()).append(") by `bin/bench dynamodb`: ")
            .append("the real `DynamoDbSubscriptionStore` on dynalite, every call counted by an SDK ExecutionInterceptor ")
            .append("that also sets `ReturnConsumedCapacity=INDEXES`. Units are per operation (averaged where several ran).\n\n")
            .append("| operation | DynamoDB calls | RRU | WRU | dynalite reported (RRU / WRU) | $ per million |\n")
            .append("|---|---|---:|---:|---|---:|\n");
        for (Row row : result.rows()) {
            sb.append("| ").append(row.operation()).append(" | ").append(row.callsText()).append(" | ")
                .append(f(row.read(), 2)).append(" | ").append(f(row.write(), 2)).append(" | ")
                .append(f(row.reportedRead(), 2)).append(" / ").append(f(row.reportedWrite(), 2)).append(" | ")
                .append(BenchSupport.usd(row.dollarsPerMillion())).append(" |\n");
        }
        Row walk = result.row("keepalive.walk");
        sb.append("\nKeep-alive walk: ").append(f(walk.read(), 2)).append(" RRU and ").append(walk.callsText())
            .append(" for ").append(result.walked()).append(" connections, i.e. ")
            .append(f(walk.read() * 1000 / result.walked(), 3)).append(" RRU per 1,000 connections per walk.\n");
        sb.append("\nHow the units are counted:\n\n")
            .append("- RRU/WRU are DynamoDB's documented on-demand units: dynalite's reported table units (item size ")
            .append("rounded up to 1 KB per write, to 4 KB per read, halved for eventually consistent reads), plus what ")
            .append("dynalite does not report: 1 WRU per secondary-index entry written or deleted (gsi1 for ")
            .append("subscriptions, gsi2 for connections; KEYS_ONLY entries well under 1 KB; the counter update changes ")
            .append("no index key or projected attribute, so it writes no index), 1 WRU for a write whose condition ")
            .append("failed, and a read that returns nothing counted as one 4 KB unit (0.5 RRU eventually consistent, ")
            .append("1 strongly consistent; dynalite reports 0 for an empty query page).\n")
            .append("- Prices: on-demand $0.125 per million RRU, $0.625 per million WRU (us-east-1); TTL deletes are free, ")
            .append("so connections whose `$disconnect` is lost cost nothing more.\n")
            .append("- Publish queries gsi1 once per pattern level, in parallel, and pages past 1 MB of index entries; ")
            .append("no operation scans (the suite asserts 0 Scan).\n")
            .append("- A rejected subscribe over the limit costs 2 extra GetItem on dynalite only: DynamoDB returns the ")
            .append("item with the failed condition (ReturnValuesOnConditionCheckFailure) and the store skips them.\n");
        return sb.toString();
    }

    /** The rows by key, for the cost model. */
    static Map<String, Row> byKey(Result result) {
        Map<String, Row> map = new LinkedHashMap<>();
        result.rows().forEach(r -> map.put(r.key(), r));
        return map;
    }
}
