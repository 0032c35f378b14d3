/** Authorization: modes, providers, the connect credentials, and the service that picks a mode per request. */
package io.switchboard.core.auth;
