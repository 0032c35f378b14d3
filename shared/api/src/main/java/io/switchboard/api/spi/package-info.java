/**
 * The contract between compiled plugins and the runtime. The annotation processor generates a
 * {@link io.switchboard.api.spi.PluginRegistry} per compilation (and its {@code META-INF/services} entry) whose
 * routes call the annotated methods directly; the runtime finds registries with {@link java.util.ServiceLoader}.
 * Plugin authors do not implement these types by hand.
 */
package io.switchboard.api.spi;
