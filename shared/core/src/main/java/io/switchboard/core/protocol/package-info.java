/** The AppSync Events wire protocol: frames as records, the codec, error type names. No I/O, no engine logic. */
package io.switchboard.core.protocol;
