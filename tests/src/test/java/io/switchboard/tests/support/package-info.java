/**
 * What more than one suite of this module needs, such as a local gateway whose functions have a class loader of
 * their own ({@link io.switchboard.tests.support.IsolatedGateway}). Nothing suite-specific.
 */
package io.switchboard.tests.support;
