package io.switchboard.tests.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static io.switchboard.tests.bench.BenchSupport.f;

/**
 * End-to-end load on the local gateway: real WebSocket subscribers, publishes over HTTP and WebSocket at a steady
 * rate, exact delivery accounting per subscription, publish-to-delivery latency, CPU of the load generator and of the
 * gateway (a JVM of its own, started from {@code local/target/switchboard-local.jar}), and the gateway's heap after
 * GC during the soak. Loopback only; every phase is bounded in time and stops by itself.
 *
 * <p>Scenarios ({@code --scenario}, default {@code thousand}):
 * <ul>
 *   <li>{@code thousand}: 1,000 subscribers on one channel, 10 publishes/s for 30 s (every 10th publish carries 3
 *       events), then 10 s of closed-loop publishing for the most deliveries per second;</li>
 *   <li>{@code ten-thousand}: 10,000 subscribers, a publish every 4 s for 20 s; everything must arrive;</li>
 *   <li>{@code soak}: 2,000 connections with exact and wildcard subscriptions over 40 channels, 2 publishes/s for
 *       60 s alternating HTTP and WebSocket, heap after GC sampled every 10 s.</li>
 * </ul>
 * Run {@code bin/bench local-load --help}; figures go to stdout and {@code target/bench/local-load.md}.
 */
public final class LocalLoadBenchmark {

    /** A scenario's settings. */
    record Settings(String name, int subscribers, double rate, int seconds, int burstSeconds, int soakChannels,
                    int eventBytes, boolean sampleHeap, int warmupSeconds) {}

    /** What one scenario measured. */
    record Outcome(Settings settings, String report, LoadClients.Accounting accounting) {}

    private LocalLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<String> scenarios = new ArrayList<>(List.of("thousand"));
        Integer subscribers = null;
        Integer seconds = null;
        Double rate = null;
        int eventBytes = 200;
        Path root = BenchSupport.root();
        Path jar = root.resolve("local/target/switchboard-local.jar");
        List<String> gatewayJvm = new ArrayList<>(List.of("-XX:+UseG1GC", "-Dhttp.maxConnections=256"));
        // the load generator publishes over one WebSocket far above AppSync's 25 publishes/s per connection
        List<String> gatewayOptions = new ArrayList<>(List.of("--env", "SWITCHBOARD_MAX_PUBLISHES_PER_SECOND=0"));
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--scenario" -> scenarios = value.equals("all") ? List.of("thousand", "ten-thousand", "soak")
                    : List.of(value.split(","));
                case "--subscribers" -> subscribers = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--event-bytes" -> eventBytes = Integer.parseInt(value);
                case "--jar" -> jar = Path.of(value);
                case "--gateway-jvm-option" -> gatewayJvm.add(value);
                case "--gateway-option" -> gatewayOptions.add(value);
                case "--help", "-h" -> {
                    System.out.println("""
                        bin/bench local-load [--scenario thousand|ten-thousand|soak|all|a,b] [--subscribers N]
                                             [--seconds N] [--rate PUBLISHES_PER_S] [--event-bytes N] [--jar PATH]
                                             [--gateway-jvm-option OPTION]... [--gateway-option OPTION]...
                        Starts local/target/switchboard-local.jar in its own JVM on a free loopback port for each
                        scenario (with --env SWITCHBOARD_MAX_PUBLISHES_PER_SECOND=0 and every --gateway-option, e.g.
                        --connections-over-http), loads it, prints the figures and writes target/bench/local-load.md.""");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see --help)");
            }
            i++;
        }
        StringBuilder md = new StringBuilder("# Local end-to-end load\n\n")
            .append("Run ").append(BenchSupport.now()).append(" with `bin/bench local-load ")
            .append(String.join(" ", args).replaceFirst("^--jar \\S+ ?", "")) // bin/bench adds its private copy of the jar
            .append("`. The gateway is `local/target/switchboard-local.jar` in a JVM of its own (in-memory store, the ")
            .append("project's template.yaml, the functions' frames handed to the sockets in the gateway's JVM unless ")
            .append("`--connections-over-http` is among its options, no limit on publishes per connection); the ")
            .append("load generator is another JVM on the same 2-core machine, shared with other builds, so figures are ")
            .append("noisy: the load average is printed with each.\n\n");
        boolean allExact = true;
        for (String name : scenarios) {
            Settings settings = settings(name, subscribers, seconds, rate, eventBytes);
            Path work = root.resolve("target/bench/work-" + name);
            try (LoadTarget target = LoadTarget.jar(jar, root.resolve("template.yaml"), work, gatewayJvm, gatewayOptions)) {
                Outcome outcome = run(target, settings);
                System.out.println(outcome.report());
                md.append(outcome.report()).append('\n');
                allExact &= outcome.accounting().exact();
            }
            BenchSupport.write(BenchSupport.output("local-load.md"), md.toString());
        }
        System.out.println("written to " + BenchSupport.output("local-load.md"));
        if (!allExact) {
            System.out.println("DELIVERY ACCOUNTING NOT EXACT: see the figures above");
        }
    }

    static Settings settings(String name, Integer subscribers, Integer seconds, Double rate, int eventBytes) {
        return switch (name) {
            case "thousand" -> new Settings(name, or(subscribers, 1000), or(rate, 10.0), or(seconds, 30), 10, 0, eventBytes, false, 20);
            case "ten-thousand" -> new Settings(name, or(subscribers, 10_000), or(rate, 0.25), or(seconds, 20), 0, 0, eventBytes, false, 8);
            case "soak" -> new Settings(name, or(subscribers, 2000), or(rate, 2.0), or(seconds, 60), 0, 40, eventBytes, true, 10);
            case "smoke" -> new Settings(name, or(subscribers, 50), or(rate, 10.0), or(seconds, 5), 0, 5, eventBytes, false, 0);
            default -> throw new IllegalArgumentException("unknown scenario " + name + " (thousand, ten-thousand, soak)");
        };
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    // ------------------------------------------------------------------ one scenario

    static Outcome run(LoadTarget target, Settings s) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder r = new StringBuilder("## ").append(title(s)).append("\n\n");
        r.append("- gateway: ").append(target.describe()).append("\n");
        long soft = LoadTarget.openFilesSoftLimit();
        int sockets = s.subscribers();
        int subsPerSocket = 1;
        if (s.soakChannels() == 0 && soft < sockets + 1000L) {
            subsPerSocket = (int) Math.ceil(s.subscribers() / (double) Math.max(1, soft - 1000));
            sockets = (int) Math.ceil(s.subscribers() / (double) subsPerSocket);
        }
        r.append("- open files: load generator ").append(LoadTarget.openFiles(ProcessHandle.current().pid()))
            .append(", gateway ").append(target.openFilesLimit());
        if (subsPerSocket > 1) {
            r.append("; too few for one socket per subscriber: ").append(sockets).append(" sockets with ")
                .append(subsPerSocket).append(" subscriptions each");
        }
        r.append("\n");

        try (LoadClients clients = new LoadClients(target.httpEndpoint(), target.realtimeEndpoint(), target.host(),
                LoadTarget.API_KEY, sockets, s.eventBytes())) {
            // setup
            long setupStart = System.nanoTime();
            int perSocket = subsPerSocket;
            IntFunction<List<String>> patterns = s.soakChannels() > 0 ? c -> soakPatterns(c, s.soakChannels())
                : c -> {
                    List<String> list = new ArrayList<>();
                    for (int k = 0; k < perSocket; k++) {
                        list.add("/default/load");
                    }
                    return list;
                };
            clients.connect(sockets, patterns, 200);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            r.append("- setup: ").append(clients.sockets()).append(" WebSocket connections, ").append(clients.subscriptions())
                .append(" subscriptions, connected and subscribed in ").append(f(setupSeconds, 1)).append(" s (")
                .append(BenchSupport.load()).append(")\n");

            // steady phase
            List<String> channels = new ArrayList<>();
            if (s.soakChannels() > 0) {
                for (int k = 0; k < s.soakChannels(); k++) {
                    channels.add("/default/room" + k);
                }
            } else {
                channels.add("/default/load");
            }
            if (s.warmupSeconds() > 0) {
                long w0 = System.nanoTime();
                int warm = (int) Math.round(s.rate() * s.warmupSeconds());
                for (int n = 0; n < warm; n++) {
                    long due = w0 + (long) (n * 1e9 / s.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    clients.publish(channels.get(n % channels.size()), 1, n % 2 == 1);
                }
                clients.drain(Duration.ofSeconds(30), Duration.ofMinutes(10));
                r.append("- warm-up (JIT): ").append(warm).append(" publishes in ").append(s.warmupSeconds())
                    .append(" s at the same rate, drained in ").append(f((System.nanoTime() - w0) / 1e9, 1))
                    .append(" s; counted in the accounting, not in the figures below\n");
                clients.latency().reset();
            }
            long deliveriesBefore = clients.deliveries();
            long expectedBefore = clients.expectedDeliveries();
            int publishesBefore = clients.publishes().size();
            List<Long> heap = new ArrayList<>();
            String loadBefore = BenchSupport.load();
            Duration gatewayCpu0 = target.cpu();
            long clientCpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            AtomicInteger ticks = new AtomicInteger();
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
                Thread t = new Thread(runnable, "load-publisher");
                t.setDaemon(true);
                return t;
            });
            long periodNanos = (long) (1e9 / s.rate());
            int total = (int) Math.round(s.rate() * s.seconds());
            scheduler.scheduleAtFixedRate(() -> {
                int n = ticks.getAndIncrement();
                if (n >= total) {
                    return;
                }
                String channel = channels.get(n % channels.size());
                int events = n % 10 == 9 ? 3 : 1;
                clients.publish(channel, events, n % 2 == 1);
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            if (s.sampleHeap()) {
                heap.add(target.heapAfterGcMb());
                scheduler.scheduleAtFixedRate(() -> {
                    if (ticks.get() < total) {
                        synchronized (heap) {
                            heap.add(target.heapAfterGcMb());
                        }
                    }
                }, 10, 10, TimeUnit.SECONDS);
            }
            while (ticks.get() < total) {
                Thread.sleep(50);
            }
            scheduler.shutdownNow();
            long publishEnd = System.nanoTime();
            clients.drain(Duration.ofSeconds(30), Duration.ofMinutes(10));
            long end = Math.max(publishEnd, clients.lastDeliveryNanos());
            double wall = (end - start) / 1e9;
            long clientCpu = os.getProcessCpuTime() - clientCpu0;
            Duration gatewayCpu1 = target.cpu();
            String loadAfter = BenchSupport.load();
            if (s.sampleHeap()) {
                synchronized (heap) {
                    heap.add(target.heapAfterGcMb());
                }
            }
            LoadClients.Accounting a = clients.account();
            LoadClients.Latency latency = clients.latency();
            long steadyReceived = clients.deliveries() - deliveriesBefore;
            long steadyExpected = clients.expectedDeliveries() - expectedBefore;
            r.append("- steady: ").append(clients.publishes().size() - publishesBefore).append(" publishes in ")
                .append(s.seconds()).append(" s (").append(f(s.rate(), 1))
                .append("/s, alternating HTTP and WebSocket, every 10th with 3 events, ").append(s.eventBytes())
                .append("-byte events), ").append(steadyExpected).append(" deliveries expected (")
                .append(f(steadyExpected / (double) s.seconds(), 0)).append("/s offered)\n")
                .append("  - deliveries: ").append(steadyReceived).append(" received in ").append(f(wall, 1))
                .append(" s from the first publish to the last delivery: **").append(f(steadyReceived / wall, 0))
                .append(" deliveries/s**\n")
                .append("  - publish→deliver latency: **p50 ").append(f(latency.quantileMillis(0.50), 1)).append(" ms, p99 ")
                .append(f(latency.quantileMillis(0.99), 1)).append(" ms**, p99.9 ").append(f(latency.quantileMillis(0.999), 1))
                .append(" ms, max ").append(f(latency.quantileMillis(1.0), 1)).append(" ms\n")
                .append("  - accounting: ").append(accounting(a)).append("\n")
                .append("  - CPU over the phase: load generator ").append(f(clientCpu / 1e9, 1)).append(" s (")
                .append(f(100.0 * clientCpu / 1e9 / wall, 0)).append("% of a core)");
            if (gatewayCpu0 != null && gatewayCpu1 != null) {
                double g = gatewayCpu1.minus(gatewayCpu0).toNanos() / 1e9;
                r.append(", gateway ").append(f(g, 1)).append(" s (").append(f(100.0 * g / wall, 0)).append("% of a core, ")
                    .append(f(g * 1e6 / Math.max(1, steadyReceived), 0)).append(" µs per delivery)");
            }
            r.append("\n  - load: before ").append(loadBefore).append("; after ").append(loadAfter).append("\n");
            if (s.sampleHeap()) {
                r.append("  - gateway heap after GC (MB, every 10 s via jcmd GC.run + GC.heap_info): ").append(heap)
                    .append(" → ").append(flat(heap)).append("\n");
            }
            LoadClients.Accounting total0 = a;

            // burst phase: closed loop for the most deliveries per second
            if (s.burstSeconds() > 0) {
                latency.reset();
                long before = clients.deliveries();
                long burstExpectedBefore = clients.expectedDeliveries();
                String burstLoad = BenchSupport.load();
                Duration g0 = target.cpu();
                long c0 = os.getProcessCpuTime();
                long burstStart = System.nanoTime();
                long burstEnd = burstStart + Duration.ofSeconds(s.burstSeconds()).toNanos();
                List<Thread> loops = new ArrayList<>();
                AtomicInteger n = new AtomicInteger();
                for (int w = 0; w < 4; w++) {
                    Thread loop = new Thread(() -> {
                        while (System.nanoTime() < burstEnd) {
                            int k = n.getAndIncrement();
                            clients.publish(channels.get(k % channels.size()), 1, k % 2 == 1).accepted().join();
                        }
                    }, "load-burst");
                    loop.start();
                    loops.add(loop);
                }
                for (Thread loop : loops) {
                    loop.join();
                }
                clients.drain(Duration.ofSeconds(30), Duration.ofMinutes(10));
                long last = Math.max(clients.lastDeliveryNanos(), burstEnd);
                double burstWall = (last - burstStart) / 1e9;
                long burstDeliveries = clients.deliveries() - before;
                long burstExpected = clients.expectedDeliveries() - burstExpectedBefore;
                LoadClients.Accounting after = clients.account();
                r.append("- burst: 4 closed-loop publishers (HTTP and WebSocket, 1 event each) for ").append(s.burstSeconds())
                    .append(" s: ").append(n.get()).append(" publishes, ").append(burstDeliveries).append(" of ")
                    .append(burstExpected).append(" deliveries in ").append(f(burstWall, 1)).append(" s: **")
                    .append(f(burstDeliveries / burstWall, 0)).append(" deliveries/s**, latency p50 ")
                    .append(f(latency.quantileMillis(0.5), 1)).append(" ms, p99 ").append(f(latency.quantileMillis(0.99), 1))
                    .append(" ms\n  - CPU: load generator ").append(f((os.getProcessCpuTime() - c0) / 1e9, 1)).append(" s");
                Duration g1 = target.cpu();
                if (g0 != null && g1 != null) {
                    r.append(", gateway ").append(f(g1.minus(g0).toNanos() / 1e9, 1)).append(" s");
                }
                r.append(" over ").append(f(burstWall, 1)).append(" s; load before ").append(burstLoad).append(", after ")
                    .append(BenchSupport.load()).append("\n  - accounting over both phases: ").append(accounting(after))
                    .append("\n");
                total0 = after;
            }
            if (!clients.failures().isEmpty()) {
                r.append("- failed publishes: ").append(clients.failures()).append("\n");
            }
            r.append("- verdict: ").append(verdict(s, total0, latency)).append("\n");
            return new Outcome(s, r.toString(), total0);
        }
    }

    /** Soak subscriptions of connection {@code c}: its room exactly, every 10th also {@code /default/*}, every 5th a second room. */
    static List<String> soakPatterns(int c, int rooms) {
        List<String> list = new ArrayList<>();
        list.add("/default/room" + (c % rooms));
        if (c % 10 == 0) {
            list.add("/default/*");
        }
        if (c % 5 == 0) {
            list.add("/default/room" + ((c + 1) % rooms));
        }
        return list;
    }

    private static String title(Settings s) {
        return switch (s.name()) {
            case "thousand" -> "(a) " + s.subscribers() + " subscribers, " + f(s.rate(), 0) + " publishes/s";
            case "ten-thousand" -> "(b) " + s.subscribers() + " subscribers";
            case "soak" -> "(c) soak: " + s.subscribers() + " connections, mixed exact and wildcard, " + s.seconds() + " s";
            default -> s.name() + ": " + s.subscribers() + " subscribers";
        };
    }

    static String accounting(LoadClients.Accounting a) {
        return (a.exact() ? "**exact**" : "**NOT exact**") + ": expected " + a.expected() + ", received " + a.received()
            + ", missing " + a.missing() + " (in " + a.subscriptionsShort() + " subscriptions), duplicated " + a.duplicates()
            + ", out of order within a publish " + a.outOfOrder() + ", unexpected " + a.unexpected() + ", failed publishes "
            + a.publishFailures() + " of " + a.publishes() + (a.unparsed() > 0 ? ", unparsable frames " + a.unparsed() : "")
            + (a.keepAlives() > 0 ? ", ka frames " + a.keepAlives() : "");
    }

    /** Flat: the last sample within 20 % (and 32 MB) of the median of the earlier ones. */
    static String flat(List<Long> samples) {
        List<Long> valid = samples.stream().filter(v -> v >= 0).toList();
        if (valid.size() < 3) {
            return "too few samples to tell";
        }
        List<Long> earlier = new ArrayList<>(valid.subList(1, valid.size() - 1));
        earlier.sort(Long::compare);
        long median = earlier.get(earlier.size() / 2);
        long last = valid.get(valid.size() - 1);
        boolean flat = last <= median * 1.2 + 32;
        return (flat ? "flat" : "NOT flat") + String.format(Locale.ROOT, " (last %d MB against a median of %d MB)", last, median);
    }

    private static String verdict(Settings s, LoadClients.Accounting a, LoadClients.Latency latency) {
        List<String> parts = new ArrayList<>();
        parts.add(a.exact() ? "every delivery accounted for" : "deliveries NOT exact");
        if (s.name().equals("thousand")) {
            parts.add("targets ≥ 10,000 deliveries/s, p50 ≤ 20 ms, p99 ≤ 100 ms are judged on the steady line above");
        }
        return String.join("; ", parts);
    }
}
