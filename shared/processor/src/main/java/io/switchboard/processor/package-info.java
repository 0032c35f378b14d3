/**
 * The annotation processor: checks every {@code @ChannelNamespace}, {@code @OnPublish}, {@code @OnSubscribe}
 * and {@code @Authorizer} at compile time (errors point at the user's annotation) and generates one
 * {@link io.switchboard.api.spi.PluginRegistry} per compilation, plus its {@code META-INF/services} entry, whose
 * routes call the annotated methods directly.
 */
package io.switchboard.processor;
