package io.gatehouse.config;

/**
 * A Redis shared by gateway instances, which carries cache invalidations between them.
 *
 * @param url {@code redis://[[user:]password@]host[:port][/db]}; null when there is no Redis (a single instance)
 */
public record RedisConfig(String url) {
}
