/**
 * The two seams between the engine and the world: where subscriptions live ({@link
 * io.switchboard.core.spi.SubscriptionStore}) and how frames reach sockets ({@link
 * io.switchboard.core.spi.ConnectionSender}).
 */
package io.switchboard.core.spi;
