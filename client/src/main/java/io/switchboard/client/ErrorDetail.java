package io.switchboard.client;

/**
 * One entry of an {@code errors[]} array, as the server sent it: {@code errorType} is the stable code to switch on
 * ({@code UnauthorizedException}, {@code BadRequestException}, {@code ResourceNotFound}, ...); either may be null.
 */
public record ErrorDetail(String errorType, String message) {
}
