package io.gatehouse.auth;

import io.gatehouse.logging.SecretRedactor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Carries cache invalidations between gateway instances that share a store, over one Redis pub/sub channel.
 * Messages are {@code <instance id> <invalidation>}; an instance ignores its own. Publishing is fire and forget:
 * a message lost while Redis is down leaves other instances stale for at most the cache TTL.
 */
public final class RedisInvalidationChannel implements AutoCloseable {
    public static final String CHANNEL = "gatehouse:key-invalidation";
    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationChannel.class);

    private final RedisClient client;
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final StatefulRedisConnection<String, String> publishing;
    private final String instanceId = UUID.randomUUID().toString();

    private RedisInvalidationChannel(RedisClient client, StatefulRedisPubSubConnection<String, String> subscription,
                                     StatefulRedisConnection<String, String> publishing) {
        this.client = client;
        this.subscription = subscription;
        this.publishing = publishing;
    }

    /**
     * Subscribes {@code cache} to invalidations from other instances and makes it publish its own. Blocking
     * (it waits for the subscription): call it at startup.
     *
     * @param redisUrl {@code redis://[[user:]password@]host[:port][/db]}
     */
    public static RedisInvalidationChannel connect(String redisUrl, KeyLookupCache cache) {
        RedisURI uri;
        try {
            uri = RedisURI.create(redisUrl);
        } catch (IllegalArgumentException e) {
            // Lettuce's message repeats the URL, password included.
            throw new IllegalArgumentException("redis.url is not a Redis URL: expected redis://[[user:]password@]host[:port][/db]");
        }
        uri.setTimeout(Duration.ofSeconds(5));
        SecretRedactor.register(passwordOf(redisUrl));
        RedisClient client = RedisClient.create(uri);
        try {
            StatefulRedisPubSubConnection<String, String> subscription = client.connectPubSub();
            StatefulRedisConnection<String, String> publishing = client.connect();
            RedisInvalidationChannel channel = new RedisInvalidationChannel(client, subscription, publishing);
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    channel.receive(message, cache);
                }
            });
            subscription.sync().subscribe(CHANNEL);
            cache.publishTo(channel::publish);
            return channel;
        } catch (RuntimeException e) {
            client.shutdown();
            // Lettuce's message may carry the URL, password included: name the host only.
            throw new IllegalStateException("cannot subscribe to Redis at " + uri.getHost() + ":" + uri.getPort()
                    + " for cache invalidation: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The password of {@code redis://[[user:]password@]host…}: after the colon, or the whole user part without one. */
    private static String passwordOf(String redisUrl) {
        String userInfo = URI.create(redisUrl).getRawUserInfo();
        if (userInfo == null) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return URLDecoder.decode(colon < 0 ? userInfo : userInfo.substring(colon + 1), StandardCharsets.UTF_8);
    }

    private void receive(String message, KeyLookupCache cache) {
        int space = message.indexOf(' ');
        if (space < 0 || message.substring(0, space).equals(instanceId)) {
            return;
        }
        try {
            cache.apply(Invalidation.decode(message.substring(space + 1)));
        } catch (IllegalArgumentException e) {
            log.warn("ignored a malformed message on {}", CHANNEL);
        }
    }

    private void publish(Invalidation invalidation) {
        publishing.async().publish(CHANNEL, instanceId + " " + invalidation.encode()).exceptionally(failure -> {
            log.warn("could not publish a cache invalidation to Redis ({}); other instances drop the entry when it expires",
                    failure.getClass().getSimpleName());
            return null;
        });
    }

    @Override
    public void close() {
        subscription.close();
        publishing.close();
        client.shutdown();
    }
}
