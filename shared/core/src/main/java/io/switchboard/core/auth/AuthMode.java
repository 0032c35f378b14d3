package io.switchboard.core.auth;

/** The five AppSync Events authorization modes. */
public enum AuthMode {
    API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA
}
