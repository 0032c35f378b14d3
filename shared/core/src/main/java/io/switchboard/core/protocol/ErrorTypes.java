package io.switchboard.core.protocol;

/** The exact {@code errorType} names AppSync Events clients switch on (protocol.md §2.9, §11). */
public final class ErrorTypes {
    public static final String UNAUTHORIZED_EXCEPTION = "UnauthorizedException";
    public static final String BAD_REQUEST = "BadRequestException";
    public static final String MAX_SUBSCRIPTIONS = "MaxSubscriptionsReachedError";
    public static final String LIMIT_EXCEEDED = "LimitExceededError";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFound";
    public static final String UNSUPPORTED_OPERATION = "UnsupportedOperation";
    public static final String INVALID_INPUT = "InvalidInputError";
    public static final String UNKNOWN_OPERATION = "UnknownOperationError";
    public static final String SUBSCRIPTION_PROCESSING = "SubscriptionProcessingError";
    public static final String MESSAGE_PROCESSING = "MessageProcessingError";
    /** A namespace handler denied the operation ({@code util.unauthorized()} in AppSync). */
    public static final String UNAUTHORIZED = "Unauthorized";
    /** A namespace handler rejected the request with its own message ({@code util.error(msg)} in AppSync); HTTP 403. */
    public static final String HANDLER_ERROR = "HandlerError";
    /** The server could not complete the operation right now (e.g. the store is unreachable); retry. */
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailableException";

    private ErrorTypes() {}
}
