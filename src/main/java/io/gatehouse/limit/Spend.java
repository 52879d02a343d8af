package io.gatehouse.limit;

/**
 * What a call uses of the metered quantities: tokens (input and output together) and money.
 *
 * @param nanoUsd cost in nano-USD (10⁻⁹ USD)
 */
public record Spend(long tokens, long nanoUsd) {
    public static final Spend ZERO = new Spend(0, 0);
}
