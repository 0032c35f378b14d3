/**
 * Runs the compiled plugins: {@link io.switchboard.core.plugin.Plugins} loads every generated registry with
 * {@code ServiceLoader}, merges their namespaces into the configuration and routes subscribes and publishes to the
 * most specific handler; {@link io.switchboard.core.plugin.HandlerInvoker} applies AppSync's handler semantics;
 * {@link io.switchboard.core.plugin.Payloads} converts between JSON text and the plain Java values handlers see.
 * May touch the API, the protocol types and the configuration; not the store or the sender.
 */
package io.switchboard.core.plugin;
