/** The protocol engine: one path from a decoded frame or HTTP body to replies, store changes and fan-out. */
package io.switchboard.core.engine;
