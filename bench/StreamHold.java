import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load client for many concurrent, long SSE chat-completion streams.
 *
 * <p>Run as a single-file program against the gateway jar's classpath (it uses the Vert.x HttpClient in it):
 * <pre>
 *   java -cp target/gatehouse.jar bench/StreamHold.java --url http://127.0.0.1:18183/v1/chat/completions \
 *        --streams 10000 --ramp-seconds 5
 * </pre>
 * It opens N {@code "stream":true} chat completions spread evenly over the ramp, reads every SSE event and
 * checks per stream: HTTP 200, number of events, completion with {@code data: [DONE]}, and stalls (a gap
 * between two consecutive events longer than {@code --stall-ms}). Exit status 1 when any stream failed
 * (2 when none failed but {@code --fail-on-stall} is given and a stream stalled).
 */
public class StreamHold {

    // ---------------------------------------------------------------- options

    static String url = "http://127.0.0.1:18183/v1/chat/completions";
    static int streams = 1000;
    static double rampSeconds = 2;
    static long stallMs = 2000;
    static int words = 16;
    static String model = "gpt-4o-mini";
    static long timeoutSeconds = 180;
    static int eventLoops = 2;
    static String apiKey = "bench-client-key";
    static boolean failOnStall = false;
    static long progressSeconds = 2;
    static int prime = 100;
    /** Multiplex the streams over a few HTTP/2 (h2c) connections, as an HTTP/2 client would. */
    static boolean http2 = false;

    static void usage() {
        System.out.println("""
            usage: java -cp target/gatehouse.jar bench/StreamHold.java [options]
              --url URL              chat completions URL (default %s)
              --streams N            streams to open (default %d)
              --ramp-seconds S       spread the opens evenly over S seconds (default %s)
              --stall-ms MS          a gap between two events longer than this is a stall (default %d;
                                     use about 3x the upstream's event gap)
              --words W              words in the user message; the mock answers with W+1 word chunks,
                                     so a stream has W+5 events with include_usage (default %d -> 21)
              --model NAME           model field (default %s)
              --timeout-seconds T    give up on streams still open T s after the last one was opened (default %d)
              --event-loops K        client event loops / verticles (default %d)
              --api-key KEY          sent as Authorization: Bearer KEY (default %s)
              --progress-seconds P   progress line every P s, 0 = none (default %d)
              --prime P              before the ramp, send P non-streaming requests to warm the client and
                                     the path (not counted; default %d; 0 = none)
              --fail-on-stall        exit 2 when no stream failed but some stalled
              --http2                speak h2c (prior knowledge) to the target: ~100 streams per connection,
                                     so the client side needs few sockets
            """.formatted(url, streams, rampSeconds, stallMs, words, model, timeoutSeconds, eventLoops, apiKey,
                progressSeconds, prime));
    }

    static void parseArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--url" -> url = args[++i];
                case "--streams" -> streams = Integer.parseInt(args[++i]);
                case "--ramp-seconds" -> rampSeconds = Double.parseDouble(args[++i]);
                case "--stall-ms" -> stallMs = Long.parseLong(args[++i]);
                case "--words" -> words = Integer.parseInt(args[++i]);
                case "--model" -> model = args[++i];
                case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(args[++i]);
                case "--event-loops" -> eventLoops = Integer.parseInt(args[++i]);
                case "--api-key" -> apiKey = args[++i];
                case "--progress-seconds" -> progressSeconds = Long.parseLong(args[++i]);
                case "--prime" -> prime = Integer.parseInt(args[++i]);
                case "--fail-on-stall" -> failOnStall = true;
                case "--http2" -> http2 = true;
                case "-h", "--help" -> {
                    usage();
                    System.exit(0);
                }
                default -> {
                    System.err.println("unknown option: " + a);
                    usage();
                    System.exit(64);
                }
            }
        }
        if (streams < 1 || eventLoops < 1 || rampSeconds < 0 || stallMs < 1) {
            System.err.println("bad option value");
            System.exit(64);
        }
    }

    // ---------------------------------------------------------------- per-stream state

    /** One stream. Mutated only on the event loop of the verticle that opened it; read after the latch. */
    static final class Stream {
        long startNs;          // request issued
        long headersNs = -1;   // response head received
        long firstEventNs = -1;
        long lastEventNs = -1;
        long endNs = -1;
        long maxGapNs;
        int status;
        int events;            // SSE events with a data:/event: field
        int comments;          // comment-only blocks (": ...")
        int stalls;            // gaps > stall threshold
        boolean done;          // saw data: [DONE]
        boolean ok;
        String failure;        // null when ok
        boolean finished;
        // SSE scanner state
        boolean lastWasNewline;
        final StringBuilder block = new StringBuilder(16);
        boolean blockHasField;
        boolean atLineStart = true;
    }

    static Stream[] all;
    static final CountDownLatch finishedLatch = new CountDownLatch(1);
    static final AtomicInteger finishedCount = new AtomicInteger();
    static final AtomicInteger opened = new AtomicInteger();       // requests issued
    static final AtomicInteger headersOk = new AtomicInteger();    // 200 heads received
    static final AtomicInteger openNow = new AtomicInteger();      // 200 heads received and not finished
    static final AtomicInteger maxOpen = new AtomicInteger();
    static final AtomicInteger okCount = new AtomicInteger();
    static final AtomicInteger failCount = new AtomicInteger();
    static final AtomicInteger stalledStreams = new AtomicInteger();
    static final AtomicLong totalEvents = new AtomicLong();
    static final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    static volatile boolean stopping;

    static String requestBody() {
        return requestBody(true);
    }

    static String requestBody(boolean stream) {
        StringBuilder text = new StringBuilder();
        String[] pool = {"please", "summarise", "the", "quarterly", "report", "in", "three", "short", "bullet",
                "points", "for", "the", "busy", "executive", "team", "today"};
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(pool[i % pool.length]);
        }
        return "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (stream ? ",\"stream_options\":{\"include_usage\":true}" : "") + ","
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    // ---------------------------------------------------------------- opener verticle

    /** Opens streams index, index+K, index+2K... on its own event loop with its own HttpClient. */
    static final class Opener extends VerticleBase {
        final int index;
        long rampStartNs;
        HttpClientAgent client;
        RequestOptions options;
        Buffer body;
        int next;      // next stream id this opener will open
        long timer;

        Opener(int index) {
            this.index = index;
            this.next = index;
        }

        @Override
        public Future<?> start() {
            URI uri = URI.create(url);
            int share = streams / eventLoops + 1;
            client = vertx.createHttpClient(
                    new HttpClientOptions()
                            .setKeepAlive(true)
                            .setPipelining(false)
                            .setTcpNoDelay(true)
                            .setConnectTimeout(60_000)
                            .setIdleTimeout(0)
                            .setDecompressionSupported(false)
                            .setProtocolVersion(http2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
                            .setHttp2ClearTextUpgrade(false),
                    new PoolOptions()
                            .setHttp1MaxSize(share + 16)
                            // The server allows 100 concurrent streams per connection by default.
                            .setHttp2MaxSize(share / 100 + 2)
                            .setMaxWaitQueueSize(-1));
            options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(uri.getHost())
                    .setPort(uri.getPort() > 0 ? uri.getPort() : 80)
                    .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                    .putHeader("content-type", "application/json")
                    .putHeader("accept", "text/event-stream")
                    .putHeader("authorization", "Bearer " + apiKey);
            body = Buffer.buffer(requestBody());
            return primeRequests();
        }

        /** A few non-streaming requests (answered at once even by a slow-streaming mock) to warm the path. */
        Future<?> primeRequests() {
            int count = prime / eventLoops + (index < prime % eventLoops ? 1 : 0);
            Buffer plain = Buffer.buffer(requestBody(false));
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.add(client.request(options).compose(req -> req.send(plain)).compose(HttpClientResponse::body));
            }
            return Future.join(all).transform(ar -> {
                long failed = all.stream().filter(Future::failed).count();
                if (failed > 0) {
                    System.out.println("warning: " + failed + " of " + count + " priming requests failed: "
                            + describe(all.stream().filter(Future::failed).findFirst().get().cause()));
                }
                return Future.succeededFuture();
            });
        }

        /** Starts the ramp on this verticle's event loop. */
        void beginOnContext(long t0) {
            context.runOnContext(v -> begin(t0));
        }

        void begin(long t0) {
            rampStartNs = t0;
            timer = vertx.setPeriodic(5, id -> tick());
            tick();
        }

        @Override
        public Future<?> stop() {
            return client.close();
        }

        /** Opens every stream whose scheduled time (id / N * ramp) has come. */
        void tick() {
            double elapsed = (System.nanoTime() - rampStartNs) / 1e9;
            int due = rampSeconds <= 0 ? streams
                    : (int) Math.min(streams, Math.floor(elapsed / rampSeconds * streams) + 1);
            while (next < due && !stopping) {
                open(next);
                next += eventLoops;
            }
            if (next >= streams || stopping) {
                vertx.cancelTimer(timer);
            }
        }

        void open(int id) {
            Stream s = new Stream();
            all[id] = s;
            s.startNs = System.nanoTime();
            opened.incrementAndGet();
            client.request(options)
                    .compose(req -> {
                        req.exceptionHandler(e -> fail(s, "request: " + describe(e)));
                        return req.send(body);
                    })
                    .onSuccess(resp -> onResponse(s, resp))
                    .onFailure(e -> fail(s, "connect/send: " + describe(e)));
        }

        void onResponse(Stream s, HttpClientResponse resp) {
            s.headersNs = System.nanoTime();
            s.status = resp.statusCode();
            if (s.status != 200) {
                resp.body().onComplete(ar -> fail(s, "status " + s.status));
                return;
            }
            headersOk.incrementAndGet();
            int now = openNow.incrementAndGet();
            maxOpen.accumulateAndGet(now, Math::max);
            resp.exceptionHandler(e -> fail(s, "during stream: " + describe(e)));
            resp.handler(buf -> onData(s, buf));
            resp.endHandler(v -> {
                if (s.done) {
                    succeed(s);
                } else {
                    fail(s, s.events == 0 ? "ended with no event" : "ended without [DONE]");
                }
            });
        }
    }

    // ---------------------------------------------------------------- SSE scanning

    static void onData(Stream s, Buffer buf) {
        if (s.finished) {
            return;
        }
        long now = System.nanoTime();
        int n = buf.length();
        for (int i = 0; i < n; i++) {
            byte b = buf.getByte(i);
            if (b == '\r') {
                continue; // treat CRLF as LF
            }
            if (b == '\n') {
                if (s.lastWasNewline) {
                    endBlock(s, now);
                } else {
                    s.lastWasNewline = true;
                    s.atLineStart = true;
                    if (s.block.length() < 16) {
                        s.block.append('\n');
                    }
                }
                continue;
            }
            if (s.atLineStart) {
                // a line starting with ':' is a comment; anything else is a field (data:, event:, id:, retry:)
                if (b != ':') {
                    s.blockHasField = true;
                }
                s.atLineStart = false;
            }
            s.lastWasNewline = false;
            if (s.block.length() < 16) {
                s.block.append((char) b);
            }
        }
    }

    static void endBlock(Stream s, long now) {
        s.lastWasNewline = false;
        s.atLineStart = true;
        if (s.block.length() == 0) {
            return; // stray blank line
        }
        if (!s.blockHasField) {
            s.comments++;
        } else {
            s.events++;
            totalEvents.incrementAndGet();
            if (s.firstEventNs < 0) {
                s.firstEventNs = now;
            } else {
                long gap = now - s.lastEventNs;
                if (gap > s.maxGapNs) {
                    s.maxGapNs = gap;
                }
                if (gap > TimeUnit.MILLISECONDS.toNanos(stallMs)) {
                    if (s.stalls++ == 0) {
                        stalledStreams.incrementAndGet();
                    }
                }
            }
            s.lastEventNs = now;
            String text = s.block.toString().strip();
            if (text.equals("data: [DONE]") || text.equals("data:[DONE]")) {
                s.done = true;
            }
        }
        s.block.setLength(0);
        s.blockHasField = false;
    }

    // ---------------------------------------------------------------- outcome

    static void succeed(Stream s) {
        if (s.finished) {
            return;
        }
        s.finished = true;
        s.ok = true;
        s.endNs = System.nanoTime();
        okCount.incrementAndGet();
        finishOne(s);
    }

    static void fail(Stream s, String reason) {
        if (s.finished) {
            return;
        }
        s.finished = true;
        s.failure = stopping ? "still open at timeout (closed by client)" : reason;
        s.endNs = System.nanoTime();
        failCount.incrementAndGet();
        failures.computeIfAbsent(s.failure, k -> new AtomicInteger()).incrementAndGet();
        finishOne(s);
    }

    static void finishOne(Stream s) {
        if (s.headersNs >= 0 && s.status == 200) {
            openNow.decrementAndGet();
        }
        if (finishedCount.incrementAndGet() == streams) {
            finishedLatch.countDown();
        }
    }

    static String describe(Throwable e) {
        String msg = e.getMessage();
        if (msg != null) {
            msg = msg.replaceAll("[0-9]+", "#"); // group messages that differ only by ports/addresses
            if (msg.length() > 100) {
                msg = msg.substring(0, 100) + "...";
            }
        }
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        parseArgs(args);
        all = new Stream[streams];
        long expectedEvents = words + 5L;
        System.out.printf("StreamHold: %d streams to %s, ramp %.1f s, stall threshold %d ms, %d words "
                        + "(expect %d events/stream), %d event loops%n",
                streams, url, rampSeconds, stallMs, words, expectedEvents, eventLoops);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops)
                .setBlockedThreadCheckInterval(10_000));
        List<Opener> openers = new ArrayList<>();
        List<Future<String>> deployments = new ArrayList<>();
        long primeStart = System.nanoTime();
        for (int i = 0; i < eventLoops; i++) {
            Opener opener = new Opener(i);
            openers.add(opener);
            deployments.add(vertx.deployVerticle(opener, new DeploymentOptions()));
        }
        Future.all(deployments).await(120, TimeUnit.SECONDS);
        if (prime > 0) {
            System.out.printf("primed with %d non-streaming requests in %.0f ms%n", prime,
                    (System.nanoTime() - primeStart) / 1e6);
        }
        long t0 = System.nanoTime();
        for (Opener opener : openers) {
            opener.beginOnContext(t0);
        }

        long deadlineNs = t0 + (long) (rampSeconds * 1e9) + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Thread progress = null;
        if (progressSeconds > 0) {
            progress = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(progressSeconds * 1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.out.printf("  t=%5.1fs opened=%d open=%d (max %d) ok=%d failed=%d stalled=%d events=%d%n",
                            (System.nanoTime() - t0) / 1e9, opened.get(), openNow.get(), maxOpen.get(),
                            okCount.get(), failCount.get(), stalledStreams.get(), totalEvents.get());
                }
            });
        }

        boolean allFinished = finishedLatch.await(Math.max(1, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        long wallNs = System.nanoTime() - t0;
        if (!allFinished) {
            stopping = true;
            System.out.println("timeout: streams still open after ramp + " + timeoutSeconds + " s; giving up on them");
        }
        if (progress != null) {
            progress.interrupt();
        }
        // Close the client (resets anything still open), then read the results. Streams still open are
        // failed on the event loops; undeploying waits for the clients to close.
        vertx.close().await(30, TimeUnit.SECONDS);

        report(expectedEvents, wallNs);
        int failed = 0;
        int stalled = 0;
        for (Stream s : all) {
            if (s == null || !s.ok) {
                failed++;
            }
            if (s != null && s.stalls > 0) {
                stalled++;
            }
        }
        System.exit(failed > 0 ? 1 : (failOnStall && stalled > 0 ? 2 : 0));
    }

    static void report(long expectedEvents, long wallNs) {
        int notOpened = 0;
        int ok = 0;
        int stalled = 0;
        int totalStalls = 0;
        int wrongCount = 0;
        long maxGap = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        List<Long> durations = new ArrayList<>();
        List<Long> ttfe = new ArrayList<>();
        List<Long> ttfb = new ArrayList<>();
        int minEvents = Integer.MAX_VALUE;
        int maxEvents = 0;
        int comments = 0;
        for (Stream s : all) {
            if (s == null) {
                notOpened++;
                reasons.merge("never opened (timeout)", 1, Integer::sum);
                continue;
            }
            // read under the happens-before of the latch / vertx.close(); a stream not finished is a timeout
            if (!s.finished) {
                reasons.merge("still open at timeout", 1, Integer::sum);
            } else if (!s.ok) {
                reasons.merge(s.failure, 1, Integer::sum);
            } else {
                ok++;
                durations.add(s.endNs - s.startNs);
                if (s.events != expectedEvents) {
                    wrongCount++;
                }
                minEvents = Math.min(minEvents, s.events);
                maxEvents = Math.max(maxEvents, s.events);
            }
            if (s.firstEventNs >= 0) {
                ttfe.add(s.firstEventNs - s.startNs);
            }
            if (s.headersNs >= 0) {
                ttfb.add(s.headersNs - s.startNs);
            }
            if (s.stalls > 0) {
                stalled++;
                totalStalls += s.stalls;
            }
            maxGap = Math.max(maxGap, s.maxGapNs);
            comments += s.comments;
        }
        int failed = streams - ok;
        System.out.println();
        System.out.println("== StreamHold result ==");
        System.out.printf("streams requested     %d%n", streams);
        System.out.printf("opened                %d%n", streams - notOpened);
        System.out.printf("got 200 head          %d%n", headersOk.get());
        System.out.printf("max open at once      %d%n", maxOpen.get());
        System.out.printf("completed ok          %d   ([DONE] received, status 200)%n", ok);
        System.out.printf("failed                %d%n", failed);
        reasons.forEach((reason, count) -> System.out.printf("    %-60s %d%n", reason, count));
        System.out.printf("stalled streams       %d   (gap between events > %d ms; %d stalls in all; max gap %.0f ms)%n",
                stalled, stallMs, totalStalls, maxGap / 1e6);
        System.out.printf("events per ok stream  min %s max %s (expected %d; %d ok streams differ)%s%n",
                ok == 0 ? "-" : minEvents, ok == 0 ? "-" : maxEvents, expectedEvents, wrongCount,
                comments > 0 ? "; comment blocks " + comments : "");
        System.out.printf("stream duration       p50 %s  p99 %s  max %s   (request sent -> end, ok streams)%n",
                pct(durations, 50), pct(durations, 99), pct(durations, 100));
        System.out.printf("time to first event   p50 %s  p99 %s  max %s%n", pct(ttfe, 50), pct(ttfe, 99), pct(ttfe, 100));
        System.out.printf("time to headers       p50 %s  p99 %s  max %s%n", pct(ttfb, 50), pct(ttfb, 99), pct(ttfb, 100));
        System.out.printf("wall time             %.1f s%n", wallNs / 1e9);
        // one machine-readable line for scripts
        System.out.printf("RESULT streams=%d opened=%d ok=%d failed=%d stalled=%d max_open=%d dur_p50_ms=%s dur_p99_ms=%s "
                        + "ttfe_p50_ms=%s ttfe_p99_ms=%s max_gap_ms=%.0f%n",
                streams, streams - notOpened, ok, failed, stalled, maxOpen.get(), ms(durations, 50), ms(durations, 99),
                ms(ttfe, 50), ms(ttfe, 99), maxGap / 1e6);
    }

    static long percentileNs(List<Long> values, int p) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    static String pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return "-";
        }
        long ns = percentileNs(values, p);
        return ns >= 10_000_000_000L ? String.format("%.2f s", ns / 1e9) : String.format("%.1f ms", ns / 1e6);
    }

    static String ms(List<Long> values, int p) {
        return values.isEmpty() ? "-" : String.format("%.0f", percentileNs(values, p) / 1e6);
    }
}
