/**
 * What more than one suite of this module needs: a local gateway whose functions have a class loader of their own
 * ({@link io.switchboard.tests.support.IsolatedGateway}), a {@code java.net.http} protocol client
 * ({@link io.switchboard.tests.support.WsClient}) and JSON helpers ({@link io.switchboard.tests.support.Json}).
 * Nothing suite-specific; the raw socket client both this module and the local gateway's tests use is
 * {@code io.switchboard.testing.RawWebSocket} in core's test-jar.
 */
package io.switchboard.tests.support;
