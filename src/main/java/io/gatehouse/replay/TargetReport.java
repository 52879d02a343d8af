package io.gatehouse.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;

import java.io.PrintWriter;
import java.util.List;

/** How the live responses compared with the recorded ones, as lines for people or JSON for tools. */
public record TargetReport(Recording recording, String target, List<Compared> compared, List<String> skipped) {

    /** One call sent to the target; it matches when it has no differences. */
    public record Compared(String requestId, String method, String path, List<Difference> differences) {
        public Compared {
            differences = List.copyOf(differences);
        }

        boolean matches() {
            return differences.isEmpty();
        }
    }

    public TargetReport {
        compared = List.copyOf(compared);
        skipped = List.copyOf(skipped);
    }

    public long differing() {
        return compared.stream().filter(call -> !call.matches()).count();
    }

    /** 0 when every compared call matched, 1 when any differed. */
    public int exitCode() {
        return differing() == 0 ? 0 : 1;
    }

    public void print(PrintWriter out) {
        for (Compared call : compared) {
            if (!call.matches()) {
                out.println("≠ " + call.requestId() + " " + call.method() + " " + call.path());
                call.differences().forEach(difference -> out.println("    " + difference));
            }
        }
        long differing = differing();
        out.printf("Compared %d call%s with %s: %d differ%s, %d match%s%n", compared.size(),
                compared.size() == 1 ? "" : "s", target, differing, differing == 1 ? "s" : "",
                compared.size() - differing, compared.size() - differing == 1 ? "es" : "");
        skipped.forEach(reason -> out.println("  not compared: " + reason));
        if (!recording.problems().isEmpty()) {
            int count = recording.problems().size();
            out.printf("  %d unusable record%s skipped (listed above)%n", count, count == 1 ? "" : "s");
        }
        out.flush();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("mode", "target")
                .put("target", target)
                .put("compared", compared.size())
                .put("matched", compared.size() - differing())
                .put("differed", differing());
        ArrayNode calls = json.putArray("calls");
        for (Compared call : compared) {
            ObjectNode entry = calls.addObject()
                    .put("request_id", call.requestId())
                    .put("method", call.method())
                    .put("path", call.path())
                    .put("matches", call.matches());
            ArrayNode differences = entry.putArray("differences");
            call.differences().forEach(difference -> differences.addObject()
                    .put("where", difference.where())
                    .put("recorded", difference.recorded())
                    .put("live", difference.live()));
        }
        skipped.forEach(json.putArray("skipped")::add);
        recording.problems().forEach(json.putArray("problems")::add);
        return json;
    }
}
