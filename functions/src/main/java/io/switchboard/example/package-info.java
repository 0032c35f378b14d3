/**
 * The example application's channel namespaces, deployed with the functions: {@code default} and {@code sample}
 * pass every event through; {@code chat} moderates room messages and keeps {@code /chat/private/<user>}
 * channels to their owner. Plain annotated classes: the processor checks them at compile time and generates the
 * registry the runtime loads.
 */
package io.switchboard.example;
