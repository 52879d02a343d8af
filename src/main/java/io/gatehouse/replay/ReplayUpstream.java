package io.gatehouse.replay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Stands in for every provider during a local replay: answers each request with the response recorded for it.
 *
 * <p>It finds that response by the {@link #CALL_HEADER} the replay client puts on each request, not by arrival
 * order: an interceptor may answer a call itself (it never arrives) or retry it (it arrives twice), and order would
 * then pair every later call with its neighbour's response, the seed's defect. The gateway forwards the header like
 * any other; its own {@code x-gatehouse-*} and {@code x-cylestio-*} headers would be removed on the way.
 *
 * <p>A stream is sent back event by event, so interceptors see it arrive as they would live. A call that failed is
 * failed again: a response cut after its headers is cut at the same point, one that never got a response (or an
 * unpaired request) has its connection dropped.
 */
final class ReplayUpstream {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayUpstream.class);
    static final String CALL_HEADER = "x-replay-request-id";
    /** An SSE event ends at a blank line; split after it, so each event is one write. */
    private static final Pattern AFTER_EVENT = Pattern.compile("(?<=\\r?\\n\\r?\\n)");

    private final Map<String, RecordedCall> calls = new HashMap<>();
    private HttpServer server;

    private ReplayUpstream(List<RecordedCall> calls) {
        calls.forEach(call -> this.calls.put(call.requestId(), call));
    }

    /** Listens on an ephemeral loopback port; the future completes once it does. */
    static Future<ReplayUpstream> start(Vertx vertx, List<RecordedCall> calls) {
        ReplayUpstream upstream = new ReplayUpstream(calls);
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(upstream::handle)
                .listen(0, "127.0.0.1")
                .map(server -> {
                    upstream.server = server;
                    return upstream;
                });
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    Future<Void> close() {
        return server.close();
    }

    private void handle(HttpServerRequest request) {
        RecordedCall call = calls.get(request.getHeader(CALL_HEADER));
        // Answer once the request has been read whole, as a real upstream would.
        request.body().onComplete(ignored -> {
            if (call == null) {
                request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end("{\"error\":{\"message\":\"replay upstream: no recorded call for this request\","
                                + "\"type\":\"replay_error\"}}");
            } else {
                answerAsRecorded(request, call);
            }
        });
    }

    /** A hand-edited recording may hold a header that cannot be sent; the call then fails, not the replay. */
    private static void answerAsRecorded(HttpServerRequest request, RecordedCall call) {
        try {
            answer(request, call);
        } catch (RuntimeException e) {
            LOG.warn("The recorded response of {} cannot be sent ({}); its connection is dropped instead",
                    call.requestId(), e.getMessage());
            request.connection().close();
        }
    }

    private static void answer(HttpServerRequest request, RecordedCall call) {
        RecordedResponse recorded = call.response();
        if (recorded == null) {
            request.connection().close();
            return;
        }
        HttpServerResponse response = request.response().setStatusCode(recorded.status());
        ReplayHeaders.forResponse(recorded.headers()).forEach(response::putHeader);
        boolean cut = call.error() != null;
        String sse = recorded.isEventStream() ? recorded.body().text() : null;
        if (sse != null) {
            response.setChunked(true);
            Future<Void> written = response.writeHead();
            for (String event : AFTER_EVENT.split(sse)) {
                if (!event.isEmpty()) {
                    written = response.write(event);
                }
            }
            finish(request, response, written, cut);
            return;
        }
        Buffer body = Buffer.buffer(recorded.body().bytes());
        if (cut) {
            response.setChunked(true);
            finish(request, response, response.write(body), true);
        } else {
            response.end(body);
        }
    }

    private static void finish(HttpServerRequest request, HttpServerResponse response, Future<Void> lastWrite,
                               boolean cut) {
        if (!cut) {
            response.end();
            return;
        }
        // Close once the last bytes are on the wire, or they might go down with the connection.
        lastWrite.onComplete(ignored -> request.connection().close());
    }
}
