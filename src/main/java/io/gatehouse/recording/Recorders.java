package io.gatehouse.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.events.Event;
import io.gatehouse.events.EventBus;
import io.gatehouse.pipeline.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds a gateway's recorders from their {@code interceptors:} entries and closes them all when the gateway stops.
 * Keys and defaults are the seed's (see docs/recording.md); each recorder also takes {@code queue_size}. Folders are
 * created (0700) when the recorder is built, so a folder that cannot be made fails the start, not the first call.
 */
public final class Recorders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recorders.class);
    private static final long BYTES_PER_MB = 1024L * 1024;

    private final MeterRegistry meters;
    private final EventBus events;
    private final String defaultProvider;
    private final List<AsyncRecordWriter<?>> writers = new ArrayList<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    /**
     * @param defaultProvider the provider clients reach without a path prefix, so recorded URLs show the path the
     *                        client used
     */
    public Recorders(MeterRegistry meters, EventBus events, String defaultProvider) {
        this.meters = meters;
        this.events = events;
        this.defaultProvider = defaultProvider;
    }

    public Interceptor messageLogger(ObjectNode config) {
        Path directory = Path.of(text(config, "directory", "./message_logs"));
        AsyncRecordWriter<LineRecord> writer = writer(MessageLogger.TYPE, config,
                () -> new AppendingLinesFile(directory, text(config, "filename", "message_log.jsonl")));
        return new MessageLogger(writer, flag(config, "include_metadata", true), flag(config, "redact_credentials", true),
                flag(config, "include_system_prompts", true));
    }

    public Interceptor httpRecorder(ObjectNode config) {
        Path directory = Path.of(text(config, "output_dir", "./http_recordings"));
        long perFile = config.path("max_events_per_file").asLong(100);
        AsyncRecordWriter<LineRecord> writer = writer(HttpRecorder.TYPE, config,
                () -> new RotatingRecordingFiles(directory, perFile));
        long maxBody = Math.round(config.path("max_body_size_mb").asDouble(100) * BYTES_PER_MB);
        return new HttpRecorder(writer, defaultProvider, flag(config, "include_headers", true),
                flag(config, "include_timing", true), flag(config, "redact_sensitive_headers", true), maxBody);
    }

    public Interceptor trace(ObjectNode config) {
        Path directory = Path.of(text(config, "directory", "./traces"));
        AsyncRecordWriter<TraceFiles.Trace> writer = writer(TraceRecorder.TYPE, config, () -> new TraceFiles(directory));
        return new TraceRecorder(writer, defaultProvider, flag(config, "include_headers", true),
                flag(config, "include_body", true), config.path("max_body_size").asLong(1_048_576));
    }

    /** Subscribes an event recorder to the gateway's events; it is not part of the interceptor chain. */
    public void eventRecorder(ObjectNode config) {
        Path directory = Path.of(text(config, "output_dir", "./event_logs"));
        SessionEventFiles.Format format = SessionEventFiles.Format.valueOf(
                text(config, "file_format", "jsonl").toUpperCase(Locale.ROOT));
        AsyncRecordWriter<Event> writer = writer(EventRecorder.TYPE, config, () -> new SessionEventFiles(directory, format,
                flag(config, "pretty_print", false), flag(config, "include_metadata", true)));
        subscriptions.add(events.subscribe(new EventRecorder(writer)));
    }

    /**
     * Stops taking events, then writes out everything every recorder accepted, forces it to the disk and closes the
     * files. The gateway calls this after its servers have stopped, so no call is still adding records.
     */
    @Override
    public void close() {
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.warn("Could not unsubscribe a recorder: {}", e.toString());
            }
        }
        subscriptions.clear();
        writers.forEach(AsyncRecordWriter::close);
        writers.clear();
    }

    private interface SinkFactory<R> {
        RecordSink<R> create() throws IOException;
    }

    private <R> AsyncRecordWriter<R> writer(String type, ObjectNode config, SinkFactory<R> sinks) {
        RecordSink<R> sink;
        try {
            sink = sinks.create();
        } catch (IOException e) {
            throw new UncheckedIOException("the " + type + " recorder cannot use its folder: " + e.getMessage(), e);
        }
        AsyncRecordWriter<R> writer = new AsyncRecordWriter<>(type, sink,
                config.path("queue_size").asInt(AsyncRecordWriter.DEFAULT_QUEUE_SIZE), meters);
        writers.add(writer);
        return writer;
    }

    private static String text(JsonNode config, String key, String fallback) {
        return config.path(key).asText(fallback);
    }

    private static boolean flag(JsonNode config, String key, boolean fallback) {
        return config.path(key).asBoolean(fallback);
    }
}
