/** Typed configuration, read once from one source. */
package io.switchboard.core.config;
