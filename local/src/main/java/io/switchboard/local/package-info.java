/**
 * Switchboard's local gateway: API Gateway's WebSocket API (authorizer, routes, route responses,
 * limits, {@code $disconnect}), its {@code @connections} API and the HTTP API, emulated on one port
 * (plain text and TLS) for the functions named in {@code template.yaml}, which run in this JVM
 * through the Lambda runtime's own serializer. The public surface is {@link io.switchboard.local.LocalGateway},
 * {@link io.switchboard.local.Options} and {@link io.switchboard.local.StartException}, plus the template reader
 * {@link io.switchboard.local.CloudFormationYaml} (which the tests module's template checks share); everything
 * else is package-private.
 */
package io.switchboard.local;
