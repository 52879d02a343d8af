package io.gatehouse.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * @param workers      event-loop server instances; defaults to the number of cores
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param shutdownGraceSeconds how long calls in flight may take to finish when the gateway stops
 */
public record ServerConfig(
        Integer port,
        String host,
        Integer workers,
        @JsonProperty("max_body_bytes") Long maxBodyBytes,
        @JsonProperty("shutdown_grace_seconds") Double shutdownGraceSeconds) {

    public static final int DEFAULT_PORT = 4000;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final long DEFAULT_MAX_BODY_BYTES = 32L * 1024 * 1024;
    public static final double DEFAULT_SHUTDOWN_GRACE_SECONDS = 10;

    /** Without a grace period of its own: the default. */
    public ServerConfig(Integer port, String host, Integer workers, Long maxBodyBytes) {
        this(port, host, workers, maxBodyBytes, null);
    }

    public ServerConfig {
        port = port == null ? DEFAULT_PORT : port;
        host = host == null ? DEFAULT_HOST : host;
        workers = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        shutdownGraceSeconds = shutdownGraceSeconds == null ? DEFAULT_SHUTDOWN_GRACE_SECONDS : shutdownGraceSeconds;
    }
}
