package io.gatehouse.replay;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends the recorded requests again to a live gateway or upstream and compares each live response with the recorded
 * one. Only calls recorded with a complete response are compared; the others have nothing to compare with.
 */
public final class TargetReplay {

    /**
     * @param target              base URL the recorded paths are appended to
     * @param headers             headers to add or replace on every request (the credentials the recording redacted)
     * @param ignoredFields       JSON fields to ignore besides the volatile ones ({@link JsonDiff})
     * @param stripProviderPrefix send each path without its gateway prefixes, for a target that is an upstream API
     */
    public record Options(URI target, Map<String, String> headers, List<String> ignoredFields,
                          boolean stripProviderPrefix, Duration delay) {
        public Options {
            Map<String, String> lowerCase = new LinkedHashMap<>();
            headers.forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));
            headers = Map.copyOf(lowerCase);
            ignoredFields = List.copyOf(ignoredFields);
        }
    }

    private TargetReplay() {
    }

    public static TargetReport run(Recording recording, Options options, ProgressBar progress) throws InterruptedException {
        String base = options.target().toString().replaceAll("/+$", "");
        ResponseComparison comparison = new ResponseComparison(new JsonDiff(options.ignoredFields()));
        List<TargetReport.Compared> compared = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        boolean first = true;
        try (CallSender sender = new CallSender()) {
            for (RecordedCall call : recording.calls()) {
                RecordedRequest request = call.request();
                progress.clear();
                String reason = whyNotComparable(call);
                if (reason != null) {
                    skipped.add(request.requestId() + ": " + reason);
                } else {
                    if (!first && !options.delay().isZero()) {
                        Thread.sleep(options.delay().toMillis());
                    }
                    first = false;
                    compared.add(compare(sender, base, call, options, comparison));
                }
                progress.step(request.method() + " " + request.path());
            }
        }
        progress.finish();
        return new TargetReport(recording, withoutUserInfo(options.target()), compared, skipped);
    }

    private static String whyNotComparable(RecordedCall call) {
        if (call.isUnpaired()) {
            return "no response recorded";
        }
        if (call.error() != null) {
            RecordedError error = call.error();
            return "the recorded call failed (" + error.type() + (error.message() == null ? "" : ": " + error.message())
                    + "), so there is no response to compare";
        }
        if (call.request().body().truncated()) {
            return "its request body was too large to be recorded whole";
        }
        return null;
    }

    private static TargetReport.Compared compare(CallSender sender, String base, RecordedCall call, Options options,
                                                 ResponseComparison comparison) throws InterruptedException {
        RecordedRequest request = call.request();
        Map<String, String> headers = ReplayHeaders.forRequest(request.headers());
        headers.putAll(options.headers());
        String path = options.stripProviderPrefix() ? ReplayRoutes.upstreamPath(request) : request.path();
        String query = request.query().isEmpty() ? "" : "?" + request.query();
        List<Difference> differences;
        try {
            LiveResponse live = sender.send(base, request.method(), path + query, headers, request.body().bytes());
            differences = comparison.compare(call, live);
        } catch (IOException e) {
            differences = List.of(new Difference("response", "status " + call.response().status(),
                    "none (" + LocalReplay.describe(e) + ")"));
        } catch (IllegalArgumentException e) {
            differences = List.of(new Difference("request", "as recorded", "cannot be sent: " + e.getMessage()));
        }
        return new TargetReport.Compared(request.requestId(), request.method(), request.pathAndQuery(), differences);
    }

    /** The target as it may be printed: a password in {@code user:pass@host} stays out of the report. */
    private static String withoutUserInfo(URI target) {
        if (target.getRawUserInfo() == null) {
            return target.toString();
        }
        return target.toString().replace(target.getRawUserInfo() + "@", "");
    }
}
