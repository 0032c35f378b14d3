/**
 * Switchboard on AWS: the DynamoDB {@link io.switchboard.core.spi.SubscriptionStore} and its table, and the API
 * Gateway {@code @connections} {@link io.switchboard.core.spi.ConnectionSender}. Everything is configured through
 * constructors and builders; reading the environment is the caller's job. Goes into every Lambda jar, so it stays
 * small: the SDK clients on the JDK's URL connection, nothing else.
 */
package io.switchboard.aws;
