package io.wsc.presence;

/**
 * Who a subscriber is, as its token says: the {@code sub} claim, and the optional {@code info} claim (a JSON object,
 * kept as its compact JSON text; null when the token has none). Connections without a {@code sub} have no identity
 * and are never listed.
 */
public record ClientIdentity(String sub, String info) {
}
