package io.switchboard.tests.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost model's metering rules on fixed DynamoDB units: increments, keep-alives, reconnects. */
class CostModelTest {
    private static final CostModel.DynamoDbUnits UNITS = new CostModel.DynamoDbUnits(2, 3, 1, 2, 2, 0.5, 0.0075, 0.008);
    private static final CostModel.Assumptions DEFAULTS = CostModel.Assumptions.defaults();

    @Test
    void largeEvents_costOneApiGatewayMessage_butFourAppSyncOperations() {
        CostModel.Workload iot = new CostModel.Workload("iot", "", 20, 1, 0, 1_000, 20 * 1024, 3, 20);

        CostModel.Bill appSync = CostModel.appSync(iot);
        CostModel.Bill switchboard = CostModel.switchboard(iot, UNITS, DEFAULTS);

        assertEquals(4 * 1_000 + 4 * 20_000, quantity(appSync, "inbound") + quantity(appSync, "outbound"), 1e-9);
        assertEquals(20_000, quantity(switchboard, "data deliveries"), 1e-9);
        assertEquals(1_000, quantity(switchboard, "HTTP publishes"), 1e-9);
    }

    @Test
    void keepAlive_sendsOneMessagePerConnectionPerRun() {
        CostModel.Workload idle = new CostModel.Workload("idle", "", 1_000, 1, 0, 0, 100, 2, 0);

        double at4 = quantity(CostModel.switchboard(idle, UNITS, DEFAULTS), "keep-alive");
        CostModel.Assumptions nine = new CostModel.Assumptions(9, 20, 10, 32, 1.0, 2_000, 12, 1);
        double at9 = quantity(CostModel.switchboard(idle, UNITS, nine), "keep-alive");

        assertEquals(1_000 * 43_200 / 4.0, at4, 1e-6);
        assertEquals(1_000 * 43_200 / 9.0, at9, 1e-6);
    }

    @Test
    void idleConnections_costMoreOnApiGateway_thanOnAppSync() {
        CostModel.Workload idle = new CostModel.Workload("idle", "", 10_000, 1, 0, 0, 100, 2, 0);

        double switchboard = CostModel.switchboard(idle, UNITS, DEFAULTS).total();
        double appSync = CostModel.appSync(idle).total();

        assertTrue(switchboard > 3 * appSync, switchboard + " vs " + appSync);
        assertEquals(10_000 * 43_200 * 0.08 / 1e6 + 10_000 * 30 * 2 / 1e6, appSync, 1e-9);
    }

    @Test
    void publishReads_growWithTheAudience_pastOnePagePerLevel() {
        assertEquals(1.5, UNITS.publishRru(3, 10), 1e-9);
        assertEquals(2 * 0.5 + 50_000 * 0.0075, UNITS.publishRru(3, 50_000), 1e-9);
        assertEquals(16 * 0.5, UNITS.walkRru(10), 1e-9);
    }

    @Test
    void everyWorkload_hasABillOnBothSides() {
        List<CostModel.Workload> workloads = CostModel.workloads();
        assertEquals(3, workloads.size());
        for (CostModel.Workload w : workloads) {
            assertTrue(CostModel.switchboard(w, UNITS, DEFAULTS).total() > 0, w.name());
            assertTrue(CostModel.appSync(w).total() > 0, w.name());
        }
    }

    private static double quantity(CostModel.Bill bill, String what) {
        return bill.lines().stream().filter(l -> l.item().startsWith(what)).mapToDouble(CostModel.Line::quantity).sum();
    }
}
