package io.gatehouse.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Call;
import io.gatehouse.pipeline.CallPrincipal;
import io.gatehouse.pipeline.ModelGlobs;
import io.gatehouse.pipeline.Chain;
import io.gatehouse.pipeline.ErrorKind;
import io.gatehouse.pipeline.GatewayError;
import io.gatehouse.pipeline.GatewayException;
import io.gatehouse.pipeline.Interceptor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.pipeline.ProxyRequest;
import io.gatehouse.pipeline.ProxyResponse;
import io.gatehouse.pipeline.Secret;
import io.gatehouse.pipeline.Upstream;
import io.gatehouse.store.AuditEntry;
import io.gatehouse.store.ConsumeOutcome;
import io.gatehouse.store.KeyLookup;
import io.gatehouse.store.VirtualKey;
import io.gatehouse.store.VirtualKeyRepository;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;

import java.time.Clock;
import java.util.Optional;

/**
 * {@code auth.mode: virtual_keys}: every proxied call must carry a gateway key, as {@code Authorization: Bearer}
 * (OpenAI SDKs) or {@code x-api-key} (Anthropic SDKs). The key is found by its hash in {@link KeyLookupCache},
 * checked (revoked, expired, project active, allowed model, quota), and swapped for the project's provider key:
 * the client's key never goes upstream. Refusals are 401/403/429 in the provider's error shape, and each is
 * queued for the audit log without holding up the answer.
 *
 * <p>The hot path of a cached key without a quota: one SHA-256, one cache hit, the checks, an in-memory usage
 * count and a cached provider key; no database round trip. A key with a quota adds the one atomic
 * {@code UPDATE} that spends it, which is what makes the quota exact across instances.
 */
public final class VirtualKeyInterceptor implements Interceptor {
    public static final String TYPE = "virtual_keys";

    private final KeyLookupCache keys;
    private final VirtualKeyRepository repository;
    private final ProviderKeys providerKeys;
    private final UsageRecorder usage;
    private final AuditTrail audit;
    private final Clock clock;

    VirtualKeyInterceptor(KeyLookupCache keys, VirtualKeyRepository repository, ProviderKeys providerKeys,
                          UsageRecorder usage, AuditTrail audit, Clock clock) {
        this.keys = keys;
        this.repository = repository;
        this.providerKeys = providerKeys;
        this.usage = usage;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public Future<ProxyResponse> intercept(Chain chain) {
        ProxyRequest request = chain.request();
        String presented = presentedKey(request.headers());
        if (presented == null) {
            return refuse(chain, null, ErrorKind.AUTHENTICATION, "missing_api_key",
                    "Missing gateway key: send it as 'Authorization: Bearer <key>' or in the 'x-api-key' header");
        }
        if (!VirtualKeySecrets.looksLikeKey(presented)) {
            return refuse(chain, null, ErrorKind.AUTHENTICATION, "invalid_api_key", "Invalid gateway key");
        }
        String hash = VirtualKeySecrets.hash(presented);
        return keys.lookup(hash).compose(found -> {
            if (found.isEmpty()) {
                return refuse(chain, null, ErrorKind.AUTHENTICATION, "invalid_api_key", "Invalid gateway key");
            }
            KeyLookup lookup = found.get();
            VirtualKey key = lookup.key();
            if (!key.active()) {
                return refuse(chain, key, ErrorKind.AUTHENTICATION, "key_revoked", "This gateway key has been revoked");
            }
            if (key.expiredAt(clock.instant())) {
                return refuse(chain, key, ErrorKind.AUTHENTICATION, "key_expired", "This gateway key has expired");
            }
            if (!lookup.projectActive()) {
                return refuse(chain, key, ErrorKind.PERMISSION, "project_inactive", "The project of this gateway key is deactivated");
            }
            String model = requestedModel(chain);
            if (model != null && !ModelGlobs.allowsModelId(key.allowedModels(), model)) {
                return refuse(chain, key, ErrorKind.PERMISSION, "model_not_allowed",
                        "This gateway key may not use model '" + model + "'");
            }
            return spend(chain, key, hash).compose(spent -> forward(chain, lookup));
        });
    }

    /**
     * Counts the request: in memory for an unlimited key, by the atomic consume for one with a quota. Fails with
     * the refusal when the consume finds the key used up or no longer usable.
     */
    private Future<Void> spend(Chain chain, VirtualKey key, String hash) {
        if (key.maxRequests() == null) {
            usage.record(key.id());
            return Future.succeededFuture();
        }
        return repository.consume(key.id()).compose(outcome -> {
            if (outcome == ConsumeOutcome.ACCEPTED) {
                return Future.succeededFuture();
            }
            if (outcome != ConsumeOutcome.QUOTA_EXHAUSTED) {
                // The database knows better than the cached lookup (a change whose broadcast was lost).
                keys.invalidate(hash);
            }
            GatewayException refusal = switch (outcome) {
                case QUOTA_EXHAUSTED -> refusal(chain, key, ErrorKind.RATE_LIMIT, "quota_exhausted",
                        "This gateway key has used all of its " + key.maxRequests() + " requests");
                case PROJECT_INACTIVE -> refusal(chain, key, ErrorKind.PERMISSION, "project_inactive",
                        "The project of this gateway key is deactivated");
                case EXPIRED -> refusal(chain, key, ErrorKind.AUTHENTICATION, "key_expired", "This gateway key has expired");
                case REVOKED -> refusal(chain, key, ErrorKind.AUTHENTICATION, "key_revoked", "This gateway key has been revoked");
                default -> refusal(chain, key, ErrorKind.AUTHENTICATION, "invalid_api_key", "Invalid gateway key");
            };
            return Future.failedFuture(refusal);
        });
    }

    private Future<ProxyResponse> forward(Chain chain, KeyLookup lookup) {
        ProxyRequest request = chain.request();
        Upstream upstream = request.upstream();
        VirtualKey key = lookup.key();
        return providerKeys.forUpstream(lookup, upstream).compose(projectKey -> {
            Optional<Secret> credential = projectKey.or(() -> Optional.ofNullable(upstream.apiKey()));
            if (credential.isEmpty()) {
                return refuse(chain, key, ErrorKind.PERMISSION, "no_provider_key",
                        "The project of this gateway key has no key for provider '" + upstream.name() + "'");
            }
            chain.call().attribute(CallPrincipal.ATTRIBUTE, new CallPrincipal(key.id(), key.projectId(), key.metadata(),
                    key.allowedModels()));
            ProxyRequest rewritten = request.toBuilder()
                    .removeHeader("authorization")
                    .removeHeader("x-api-key")
                    .upstream(upstream.withApiKey(credential.get()))
                    .build();
            return chain.proceed(rewritten);
        });
    }

    /**
     * The gateway key the client sent: the bearer token or {@code x-api-key}. When both are present (an SDK that
     * sends a placeholder in one), the one shaped like a gateway key wins.
     */
    static String presentedKey(MultiMap headers) {
        String bearer = bearerToken(headers.get("authorization"));
        String apiKey = blankToNull(headers.get("x-api-key"));
        if (bearer != null && apiKey != null && !VirtualKeySecrets.looksLikeKey(bearer)) {
            return apiKey;
        }
        return bearer != null ? bearer : apiKey;
    }

    private static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return blankToNull(value.substring(7).trim());
        }
        return null;
    }

    /** The model as the client named it: routing may have replaced the body's with the provider's own name. */
    private static String requestedModel(Chain chain) {
        String named = chain.call().attribute(Call.REQUESTED_MODEL);
        if (named != null) {
            return named;
        }
        JsonNode json = chain.request().json();
        if (json == null) {
            return null;
        }
        JsonNode model = json.get("model");
        return model != null && model.isTextual() ? model.textValue() : null;
    }

    private Future<ProxyResponse> refuse(Chain chain, VirtualKey key, ErrorKind kind, String code, String message) {
        return Future.failedFuture(refusal(chain, key, kind, code, message));
    }

    /** The error for the client, and its audit entry queued: who (the key, when known), what was asked, why not. */
    private GatewayException refusal(Chain chain, VirtualKey key, ErrorKind kind, String code, String message) {
        Call call = chain.call();
        ProxyRequest request = chain.request();
        ObjectNode details = Json.MAPPER.createObjectNode()
                .put("reason", code)
                .put("status", kind.status())
                .put("provider", request.upstream().name())
                .put("method", request.method().name())
                .put("path", request.path());
        String model = requestedModel(chain);
        if (model != null) {
            details.put("model", model);
        }
        if (key != null) {
            details.put("project_id", key.projectId());
        }
        audit.offer(new AuditEntry(key == null ? "anonymous" : "key:" + key.id(), "auth.failure",
                key == null ? null : key.id(), "denied", call.id(), call.attribute(Call.CLIENT_ADDRESS), details));
        return new GatewayException(new GatewayError(kind, message, code));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
