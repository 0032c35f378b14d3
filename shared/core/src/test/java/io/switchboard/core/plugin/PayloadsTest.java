package io.switchboard.core.plugin;

import io.switchboard.api.IncomingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x/y\"}}",
        "\"Hola Mundo!\"", "42", "-7", "3.5", "1.0E-5", "true", "null", "[]", "{}",
        "12345678901234567890123", "{\"emoji\":\"😀\",\"quote\":\"\\\"\",\"ctl\":\"\\n\"}",
        "{\"z\":1,\"a\":2,\"m\":3}"})
    void readThenWrite_roundTripsCompactJson(String json) {
        assertEquals(json, Payloads.write(Payloads.read(json)));
    }

    @Test
    void read_givesPlainMutableJavaValues() {
        Object value = Payloads.read("{\"text\":\"hi\",\"n\":1,\"big\":9007199254740993,\"f\":0.5,\"list\":[1,\"two\"]}");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        assertTrue(map instanceof LinkedHashMap);
        assertEquals("hi", map.get("text"));
        assertEquals(1, map.get("n"));
        assertEquals(9007199254740993L, map.get("big"));
        assertEquals(0.5, map.get("f"));
        assertEquals(List.of(1, "two"), map.get("list"));
        assertTrue(map.get("list") instanceof ArrayList);
        map.put("serverTime", "now"); // handlers may change payloads in place
        assertEquals("{\"text\":\"hi\",\"n\":1,\"big\":9007199254740993,\"f\":0.5,\"list\":[1,\"two\"],\"serverTime\":\"now\"}",
            Payloads.write(map));
        assertEquals(new BigInteger("123456789012345678901234567890"), Payloads.read("123456789012345678901234567890"));
        assertEquals(new BigDecimal("1E+400"), Payloads.read("1e400"));
    }

    record Message(String text, int stars) {}

    @Test
    void handlerTypes_areWrittenAndBoundWithJackson() {
        assertEquals("{\"text\":\"hi\",\"stars\":3}", Payloads.write(new Message("hi", 3)));
        assertEquals(Map.of("wrapped", Map.of("text", "hi", "stars", 3)),
            Payloads.toPlain(Map.of("wrapped", new Message("hi", 3))));
        Map<String, Object> plain = Map.of("a", List.of(1, "b"));
        assertSame(plain, Payloads.toPlain(plain));

        IncomingEvent event = IncomingEvent.of("1", Payloads.read("{\"text\":\"hi\",\"stars\":3}"), JacksonPayloadBinder.INSTANCE);
        assertEquals(new Message("hi", 3), event.payloadAs(Message.class));
        // events built without a binder (in tests) find this one through ServiceLoader
        assertEquals(new Message("yo", 1), IncomingEvent.of("2", Map.of("text", "yo", "stars", 1)).payloadAs(Message.class));
        assertThrows(IllegalArgumentException.class, () -> event.payloadAs(Integer.class));
    }

    @Test
    void numbersJsonCannotHold_areRefused() {
        assertThrows(IllegalArgumentException.class, () -> Payloads.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Payloads.write(Map.of("x", Double.POSITIVE_INFINITY)));
    }
}
