package io.switchboard.api;

import io.switchboard.api.spi.PayloadBinder;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the runtime's {@link PayloadBinder} on the class path once, on first use of {@code payloadAs}. */
final class Binders {
    private Binders() {}

    private static final class Holder {
        static final PayloadBinder BINDER = load();
    }

    static PayloadBinder classPath() {
        return Holder.BINDER;
    }

    private static PayloadBinder load() {
        Iterator<PayloadBinder> it = ServiceLoader.load(PayloadBinder.class, Binders.class.getClassLoader()).iterator();
        if (it.hasNext()) {
            return it.next();
        }
        return new PayloadBinder() {
            @Override
            public <T> T bind(Object payload, Class<T> type) {
                if (payload == null && !type.isPrimitive()) {
                    return null;
                }
                throw new IllegalStateException("No PayloadBinder on the class path to bind a payload to "
                    + type.getName() + ": add switchboard-core (it provides one), or create the event with "
                    + "IncomingEvent.of(id, payload, binder)");
            }
        };
    }
}
