package io.gatehouse.limit;

import io.vertx.core.MultiMap;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The rate-limit headers of an answer. {@code x-ratelimit-limit}, {@code x-ratelimit-remaining} and
 * {@code x-ratelimit-reset} (seconds to the window's end) describe one counter: the one that refused the call, else
 * the one with the smallest share left. Requests and tokens are whole numbers; budgets are USD. A refusal also has
 * {@code Retry-After} and, on OpenAI routes, OpenAI's own {@code x-ratelimit-*-requests} and {@code -tokens} headers
 * for the tightest request and token counters (with OpenAI's reset format, {@code 1m30s}). Successful answers keep
 * the provider's own suffixed headers, which describe the provider's limits rather than the gateway's.
 */
final class RateLimitHeaders {
    static final String LIMIT = "x-ratelimit-limit";
    static final String REMAINING = "x-ratelimit-remaining";
    static final String RESET = "x-ratelimit-reset";

    private RateLimitHeaders() {
    }

    static void admitted(MultiMap headers, List<Counter> counters, long[] before, Instant now) {
        int tightest = tightest(counters, before, null);
        if (tightest >= 0) {
            describe(headers, counters.get(tightest), before[tightest] + counters.get(tightest).amount(), now);
        }
    }

    static void refusal(MultiMap headers, String providerType, List<Counter> counters, long[] before, int refusedBy,
                        Instant now) {
        Counter refusing = counters.get(refusedBy);
        describe(headers, refusing, before[refusedBy], now);
        headers.set("retry-after", Long.toString(secondsUntil(refusing.windowEnd(), now)));
        if ("openai".equals(providerType)) {
            openAi(headers, counters, before, Meter.REQUESTS, "requests", now);
            openAi(headers, counters, before, Meter.TOKENS, "tokens", now);
        }
    }

    private static void describe(MultiMap headers, Counter counter, long used, Instant now) {
        headers.set(LIMIT, amount(counter.meter(), counter.limit()))
                .set(REMAINING, amount(counter.meter(), Math.max(0, counter.limit() - used)))
                .set(RESET, Long.toString(secondsUntil(counter.windowEnd(), now)));
    }

    private static void openAi(MultiMap headers, List<Counter> counters, long[] before, Meter meter, String suffix,
                               Instant now) {
        int tightest = tightest(counters, before, meter);
        if (tightest < 0) {
            return;
        }
        Counter counter = counters.get(tightest);
        headers.set("x-ratelimit-limit-" + suffix, Long.toString(counter.limit()))
                .set("x-ratelimit-remaining-" + suffix, Long.toString(Math.max(0, counter.limit() - before[tightest])))
                .set("x-ratelimit-reset-" + suffix, goDuration(secondsUntil(counter.windowEnd(), now)));
    }

    /** The counter (of {@code meter}, or of any meter when null) with the smallest share of its limit left; -1 if none. */
    private static int tightest(List<Counter> counters, long[] before, Meter meter) {
        int best = -1;
        double bestShare = Double.MAX_VALUE;
        for (int i = 0; i < counters.size(); i++) {
            Counter counter = counters.get(i);
            if (meter != null && counter.meter() != meter) {
                continue;
            }
            double share = (double) (counter.limit() - before[i] - counter.amount()) / counter.limit();
            if (share < bestShare) {
                best = i;
                bestShare = share;
            }
        }
        return best;
    }

    /** Whole seconds until {@code end}, rounded up, at least 1: a client waiting that long finds the window reset. */
    static long secondsUntil(Instant end, Instant now) {
        long millis = Duration.between(now, end).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private static String amount(Meter meter, long value) {
        return meter == Meter.SPEND ? usd(value) : Long.toString(value);
    }

    /** Nano-USD as plain decimal USD: {@code 1.5}, {@code 0.000125}. */
    static String usd(long nanoUsd) {
        return BigDecimal.valueOf(nanoUsd, 9).stripTrailingZeros().toPlainString();
    }

    /** OpenAI's reset format (Go's duration): {@code 45s}, {@code 1m30s}, {@code 2h0m5s}. */
    static String goDuration(long seconds) {
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + rest + "s";
        }
        return minutes > 0 ? minutes + "m" + rest + "s" : rest + "s";
    }
}
