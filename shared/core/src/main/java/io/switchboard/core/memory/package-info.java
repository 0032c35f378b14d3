/** In-memory implementations of the SPI, for the local gateway and for tests. */
package io.switchboard.core.memory;
