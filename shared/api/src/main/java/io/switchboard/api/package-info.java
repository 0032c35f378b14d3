/**
 * What plugin authors touch: the annotations that declare channel-namespace handlers and the Lambda authorizer,
 * the contexts handlers read, the outcomes they return and the exceptions they may throw. No runtime
 * dependencies: payloads are plain Java values ({@code Map<String, Object>}, {@code List<Object>}, {@code String},
 * {@code Number}, {@code Boolean}, {@code null}); {@link io.switchboard.api.IncomingEvent#payloadAs(Class)}
 * binds one to your own type through the runtime's {@link io.switchboard.api.spi.PayloadBinder}.
 */
package io.switchboard.api;
