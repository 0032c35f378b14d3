package io.switchboard.tests.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine benchmark ({@link EngineBenchmark}). Full ({@code -Pbench-engine}): JMH in a forked JVM, 3 warm-up and
 * 5 measured iterations of 2 s, deliveries per second against the target of 1,000,000 on one core. Smoke (every
 * build): one publish checked frame by frame, then one short in-process JMH iteration to prove the harness runs.
 */
class EngineBenchmarkTest {
    static final double TARGET = 1_000_000;

    @Test
    void engineBenchmark_publishToEverySubscription() throws RunnerException {
        EngineBenchmark smoke = new EngineBenchmark();
        smoke.subscribers = 500;
        smoke.setUp();
        smoke.publishToAll();
        assertEquals(500, smoke.sender.frames, "one data frame per subscription");

        if (!Bench.full()) {
            Options options = new OptionsBuilder().include(EngineBenchmark.class.getName() + ".publishToAll")
                .param("subscribers", "500").forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200)).shouldFailOnError(true).build();
            Collection<RunResult> results = new Runner(options).run();
            assertEquals(1, results.size());
            assertTrue(results.iterator().next().getPrimaryResult().getScore() > 0);
            return;
        }
        Options options = new OptionsBuilder().include(EngineBenchmark.class.getName() + ".publishToAll")
            .param("subscribers", String.valueOf(EngineBenchmark.SUBSCRIBERS))
            .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
            .measurementIterations(5).measurementTime(TimeValue.seconds(2))
            .jvmArgsAppend("-Xms1g", "-Xmx1g").shouldFailOnError(true).build();
        String loadBefore = Bench.load();
        RunResult result = new Runner(options).run().iterator().next();
        double score = result.getPrimaryResult().getScore();
        double error = result.getPrimaryResult().getScoreError();
        String table = "### Engine: one publish to 10,000 subscriptions (JMH, parallelism 1)\n\n"
            + Bench.row("measure", "deliveries/s", "± (99.9 %)", "target", "met")
            + Bench.row("---", "---:", "---:", "---:", "---")
            + Bench.row("in-memory store, counting sender", Bench.fmt(score), Bench.fmt(error), Bench.fmt(TARGET),
                score >= TARGET ? "yes" : "no")
            + "\nJMH 1.37, 1 fork, 3 × 2 s warm-up, 5 × 2 s measured; each operation is one delivery "
            + "(@OperationsPerInvocation 10,000). Before the run: " + loadBefore + ".\n";
        Bench.report("engine", table);
    }
}
