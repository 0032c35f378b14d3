/**
 * The seams between the engine and the world: where subscriptions live ({@link
 * io.switchboard.core.spi.SubscriptionStore}), how frames reach sockets ({@link
 * io.switchboard.core.spi.ConnectionSender}) and where what happened is counted ({@link
 * io.switchboard.core.spi.Metrics}).
 */
package io.switchboard.core.spi;
