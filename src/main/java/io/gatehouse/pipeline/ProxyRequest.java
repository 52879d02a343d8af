package io.gatehouse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * A client request as the interceptors see it. Immutable: an interceptor that rewrites it builds a new
 * one with {@link #toBuilder()} and passes that to {@link Chain#proceed}. The body stays the client's
 * exact bytes unless an interceptor replaces the body or its JSON.
 *
 * @see #json() the parsed body, when the request is JSON
 */
public final class ProxyRequest {
    private final HttpMethod method;
    private final String path;
    private final String query;
    private final MultiMap headers;
    private final Buffer body;
    private final JsonBody json;
    private final Upstream upstream;
    private final WireFormat clientFormat;
    private final String workflowId;

    private ProxyRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.query = b.query;
        this.headers = b.headers;
        this.upstream = b.upstream;
        this.clientFormat = b.clientFormat != null ? b.clientFormat : b.upstream == null ? null : b.upstream.format();
        this.workflowId = b.workflowId;
        this.json = b.json;
        this.body = b.jsonChanged ? Buffer.buffer(Json.write(b.json.tree())) : b.body;
    }

    private ProxyRequest(ProxyRequest request, Buffer body) {
        this.method = request.method;
        this.path = request.path;
        this.query = request.query;
        this.headers = request.headers;
        this.upstream = request.upstream;
        this.clientFormat = request.clientFormat;
        this.workflowId = request.workflowId;
        this.json = request.json;
        this.body = body;
    }

    public static Builder builder() {
        return new Builder();
    }

    public HttpMethod method() {
        return method;
    }

    /** The path to forward, without the provider prefix it may have come with. Starts with '/'. */
    public String path() {
        return path;
    }

    /** The raw query string without '?', or null. */
    public String query() {
        return query;
    }

    public String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }

    /** The client's headers. Do not change them in place: build a new request. */
    public MultiMap headers() {
        return headers;
    }

    public Buffer body() {
        return body;
    }

    /**
     * The parsed JSON body, or null when the request has no JSON body. The tree is built on the first call (see
     * {@link JsonBody}): where a top-level field is all that is needed, {@link #model()} and {@link #wantsStream()}
     * answer without it.
     */
    public JsonNode json() {
        return json == null ? null : json.tree();
    }

    /** The JSON body's top-level {@code "model"} when it is a string; otherwise null. */
    public String model() {
        return json == null ? null : json.model();
    }

    /** True when the client asked for an event stream ({@code "stream": true} in a JSON body). */
    public boolean wantsStream() {
        return json != null && json.stream();
    }

    public Upstream upstream() {
        return upstream;
    }

    /**
     * The API the client speaks, which its request and every answer to it are in: the upstream's own format, unless
     * the call is translated for a provider that speaks another (a {@code /v1/messages} call routed to Gemini is
     * Anthropic's). Readers of request and response bodies and writers of errors go by this one.
     */
    public WireFormat clientFormat() {
        return clientFormat;
    }

    /** True when the upstream speaks another API than the client, so the call is translated on its way. */
    public boolean translated() {
        return upstream != null && !clientFormat.type().equals(upstream.format().type());
    }

    /** The agent workflow named by an {@code /agent-workflow/{id}/} path prefix, which is not forwarded; or null. */
    public String workflowId() {
        return workflowId;
    }

    /**
     * This request without its body bytes; the {@link #json()} view and everything else stay. What the gateway keeps
     * of a call once its response has begun: the body can no longer be re-sent then, and a long stream should not
     * hold a large prompt for its whole life.
     */
    public ProxyRequest withoutBody() {
        return body.length() == 0 ? this : new ProxyRequest(this, Buffer.buffer(0));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.method = method;
        b.path = path;
        b.query = query;
        b.headers = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        b.body = body;
        b.json = json;
        b.upstream = upstream;
        b.clientFormat = clientFormat;
        b.workflowId = workflowId;
        return b;
    }

    public static final class Builder {
        private HttpMethod method = HttpMethod.GET;
        private String path = "/";
        private String query;
        private MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        private Buffer body = Buffer.buffer();
        private JsonBody json;
        private boolean jsonChanged;
        private Upstream upstream;
        private WireFormat clientFormat;
        private String workflowId;

        private Builder() {
        }

        public Builder method(HttpMethod method) {
            this.method = method;
            return this;
        }

        public Builder path(String path) {
            this.path = path;
            return this;
        }

        public Builder query(String query) {
            this.query = query;
            return this;
        }

        /** The headers to use; the builder keeps this map, it does not copy it. */
        public Builder headers(MultiMap headers) {
            this.headers = headers;
            return this;
        }

        public Builder header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        public Builder removeHeader(String name) {
            headers.remove(name);
            return this;
        }

        /** Replaces the body bytes; the JSON view is dropped unless set again with {@link #parsedJson}. */
        public Builder body(Buffer body) {
            this.body = body;
            this.json = null;
            this.jsonChanged = false;
            return this;
        }

        /** Records the already-parsed JSON of the current body, without re-serialising it. */
        public Builder parsedJson(JsonNode json) {
            return parsedJson(JsonBody.of(json));
        }

        /** Records the JSON view of the current body, without re-serialising it. */
        public Builder parsedJson(JsonBody json) {
            this.json = json;
            return this;
        }

        /** Replaces the body with this JSON; it is serialised when the request is built. */
        public Builder json(JsonNode json) {
            this.json = JsonBody.of(json);
            this.jsonChanged = true;
            return this;
        }

        public Builder upstream(Upstream upstream) {
            this.upstream = upstream;
            return this;
        }

        /** The API the client speaks; unset, it is the upstream's. */
        public Builder clientFormat(WireFormat clientFormat) {
            this.clientFormat = clientFormat;
            return this;
        }

        public Builder workflowId(String workflowId) {
            this.workflowId = workflowId;
            return this;
        }

        public ProxyRequest build() {
            return new ProxyRequest(this);
        }
    }
}
