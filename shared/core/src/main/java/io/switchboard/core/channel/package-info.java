/** Channel paths, subscription patterns and their grammar and matching rules. No I/O. */
package io.switchboard.core.channel;
