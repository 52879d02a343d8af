package io.gatehouse.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 96 random bits in hex, unique enough to correlate logs, cheap enough for every request. */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "gh-" + Long.toHexString(random.nextLong() | Long.MIN_VALUE).substring(1)
                + Integer.toHexString(random.nextInt() | Integer.MIN_VALUE).substring(1);
    }
}
