package io.gatehouse.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.InterceptorConfig;
import io.gatehouse.pipeline.Json;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What a local replay did with each recorded call, as a summary for people or JSON for tools. */
public record LocalReport(Recording recording, GatehouseConfig config, List<ReplayedCall> calls, List<String> skipped) {

    public LocalReport {
        calls = List.copyOf(calls);
        skipped = List.copyOf(skipped);
    }

    public long answered() {
        return calls.stream().filter(call -> call.failure() == null).count();
    }

    /** Calls recorded with a complete response that now got another status or none: an interceptor changed course. */
    List<ReplayedCall> changed() {
        Set<String> complete = recording.calls().stream().filter(RecordedCall::isComplete)
                .map(RecordedCall::requestId).collect(Collectors.toSet());
        return calls.stream()
                .filter(call -> complete.contains(call.requestId()) && call.status() != call.recordedStatus())
                .toList();
    }

    public void print(PrintWriter out) {
        int files = recording.files().size();
        out.printf("Replayed %d of %d recorded calls from %d file%s through %s%n", calls.size(), recording.size(), files,
                files == 1 ? "" : "s", interceptorSummary());
        out.printf("  %d answered, %d without a complete response%n", answered(), calls.size() - answered());
        long unpaired = recording.unpairedCount();
        if (unpaired > 0) {
            out.printf("  %d unpaired request%s (no response or error recorded), replayed as call%s whose upstream"
                    + " connection dropped%n", unpaired, unpaired == 1 ? "" : "s", unpaired == 1 ? "" : "s");
        }
        for (ReplayedCall call : changed()) {
            out.printf("  changed: %s: recorded %d, now %s%n", call.label(), call.recordedStatus(),
                    call.failure() != null ? call.failure() : String.valueOf(call.status()));
        }
        skipped.forEach(reason -> out.println("  skipped: " + reason));
        if (!recording.problems().isEmpty()) {
            int count = recording.problems().size();
            out.printf("  %d unusable record%s skipped (listed above)%n", count, count == 1 ? "" : "s");
        }
        out.flush();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode().put("mode", "local");
        ArrayNode files = json.putArray("files");
        recording.files().forEach(file -> files.add(file.toString()));
        json.put("recorded", recording.size())
                .put("replayed", calls.size())
                .put("answered", answered())
                .put("failed", calls.size() - answered())
                .put("unpaired", recording.unpairedCount());
        ArrayNode callsJson = json.putArray("calls");
        for (ReplayedCall call : calls) {
            ObjectNode entry = callsJson.addObject()
                    .put("request_id", call.requestId())
                    .put("method", call.method())
                    .put("path", call.path())
                    .put("recorded_status", call.recordedStatus())
                    .put("status", call.status());
            if (call.failure() != null) {
                entry.put("failure", call.failure());
            }
        }
        skipped.forEach(json.putArray("skipped")::add);
        recording.problems().forEach(json.putArray("problems")::add);
        return json;
    }

    private String interceptorSummary() {
        List<String> types = config.interceptors().stream().filter(InterceptorConfig::enabled)
                .map(InterceptorConfig::type).toList();
        String listed = types.isEmpty() ? "no interceptors" : "interceptors: " + String.join(", ", types);
        return config.session().enabled() ? listed + " (session tracking on)" : listed;
    }
}
