package io.gatehouse.testing;

import io.gatehouse.pipeline.CallEnd;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.ProxyResponse;
import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Passes every call on and remembers what it saw: each request, each chunk, and each end. */
public final class RecordingInterceptor implements Interceptor {
    private final String name;
    private final List<String> log;
    public final List<String> chunks = new CopyOnWriteArrayList<>();
    public final LinkedBlockingQueue<CallEnd> ends = new LinkedBlockingQueue<>();

    public RecordingInterceptor(String name, List<String> sharedLog) {
        this.name = name;
        this.log = sharedLog;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        log.add(name + ":request");
        return chain.proceed(chain.request()).map(response -> {
            log.add(name + ":response");
            return response.observeChunks(chunk -> chunks.add(chunk.toString()));
        });
    }

    @Override
    public void onCallEnd(CallEnd end) {
        log.add(name + ":end:" + end.outcome());
        ends.add(end);
    }

    /** Waits for the next end, failing the test if none comes. */
    public CallEnd awaitEnd() throws InterruptedException {
        CallEnd end = ends.poll(10, TimeUnit.SECONDS);
        if (end == null) {
            throw new AssertionError(name + " saw no end of the call");
        }
        return end;
    }
}
