/**
 * The Lambda entry points: thin adapters from API Gateway events to the engine and back. All protocol logic lives
 * in {@code io.switchboard.core}.
 */
package io.switchboard.functions;
