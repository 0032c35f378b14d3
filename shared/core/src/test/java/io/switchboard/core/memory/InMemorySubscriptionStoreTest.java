package io.switchboard.core.memory;

import io.switchboard.core.spi.SubscriptionStore;
import io.switchboard.core.spi.SubscriptionStoreContract;

/** The store contract against the in-memory store. */
class InMemorySubscriptionStoreTest extends SubscriptionStoreContract {

    @Override
    protected SubscriptionStore newStore() {
        return new InMemorySubscriptionStore();
    }
}
