package io.gatehouse.cli;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.LoggingConfig;
import io.gatehouse.logging.LoggingSetup;
import io.gatehouse.logging.SecretRedactor;
import io.gatehouse.pipeline.Json;
import io.gatehouse.replay.LocalReplay;
import io.gatehouse.replay.LocalReport;
import io.gatehouse.replay.ProgressBar;
import io.gatehouse.replay.Recording;
import io.gatehouse.replay.RecordingException;
import io.gatehouse.replay.TargetReplay;
import io.gatehouse.replay.TargetReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replay traffic recorded by the http_recorder interceptor.",
                "Without --target: pushes every recorded call through the configured interceptors (an in-process"
                        + " gateway whose providers answer with the recorded responses; nothing leaves the machine).",
                "With --target: sends the recorded requests to a live gateway or upstream and reports every response"
                        + " that differs from the recorded one. Exit codes: 0 all match, 1 some differ, 2 bad input."})
final class ReplayCommand implements Callable<Integer> {
    /** An RFC 9110 field name. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final int BAD_INPUT = 2;

    @ParentCommand
    private Main main;
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|DIR",
            description = "A recording_NNN.jsonl file, or a directory of them (read in numeric order).")
    private Path input;
    @Option(names = "--config", paramLabel = "PATH",
            description = "Gateway configuration whose interceptors and providers to replay through (its http_recorder"
                    + " is left out). Default: the printer interceptor only.")
    private Path configFile;
    @Option(names = "--delay", paramLabel = "SECONDS", defaultValue = "0",
            description = "Pause between requests (default: ${DEFAULT-VALUE}).")
    private double delaySeconds;
    @Option(names = "--target", paramLabel = "URL",
            description = "Send the recorded requests to this live gateway or upstream and compare the responses.")
    private String target;
    @Option(names = "--header", paramLabel = "'NAME: VALUE'",
            description = "With --target: a header to add to every request, such as the credential the recording"
                    + " redacted. Repeatable.")
    private List<String> headers = new ArrayList<>();
    @Option(names = "--ignore-field", paramLabel = "FIELD",
            description = "With --target: a JSON field to leave out of the comparison, by name anywhere"
                    + " (usage) or by path (choices[0].message.content); id, created, created_at and"
                    + " system_fingerprint always are. Repeatable.")
    private List<String> ignoredFields = new ArrayList<>();
    @Option(names = "--strip-provider-prefix",
            description = "With --target: send each path without its /agent-workflow/{id} and /{provider} prefixes,"
                    + " for a target that is an upstream API rather than a gateway.")
    private boolean stripProviderPrefix;
    @Option(names = "--json", description = "Print the report as one JSON document on stdout.")
    private boolean json;
    @Option(names = "--quiet", description = "No progress bar (it is drawn only when stderr is a terminal anyway).")
    private boolean quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String usageProblem = usageProblem();
        if (usageProblem != null) {
            return badInput(err, usageProblem);
        }
        Map<String, String> extraHeaders = parseHeaders();
        if (extraHeaders == null) {
            return badInput(err, "--header takes 'Name: value', e.g. --header 'Authorization: Bearer …'");
        }
        Recording recording;
        try {
            recording = Recording.read(input);
        } catch (RecordingException e) {
            return badInput(err, e.getMessage());
        }
        recording.problems().forEach(problem -> err.println("warning: skipped " + problem));
        err.flush();
        if (recording.size() == 0) {
            return badInput(err, input + ": no request records to replay");
        }
        ProgressBar progress = new ProgressBar(err, recording.size(), !quiet && ProgressBar.stderrIsTerminal());
        Duration delay = Duration.ofMillis(Math.round(delaySeconds * 1000));
        try {
            return target != null ? compareWithTarget(recording, extraHeaders, delay, progress)
                    : replayLocally(recording, delay, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("✗ replay interrupted");
            err.flush();
            return 1;
        }
    }

    private String usageProblem() {
        if (!(delaySeconds >= 0) || Double.isInfinite(delaySeconds)) {
            return "--delay must be a number of seconds, 0 or more";
        }
        if (target == null) {
            if (!headers.isEmpty() || !ignoredFields.isEmpty() || stripProviderPrefix) {
                return "--header, --ignore-field and --strip-provider-prefix need --target";
            }
            return null;
        }
        if (configFile != null) {
            return "--config applies to a local replay; with --target the requests go to the live URL as they are";
        }
        URI uri = targetUri();
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            return "--target must be an http:// or https:// URL, e.g. http://127.0.0.1:4000";
        }
        return null;
    }

    private URI targetUri() {
        try {
            return URI.create(target);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The --header values by name, or null when one is not {@code Name: value}. */
    private Map<String, String> parseHeaders() {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (!HEADER_NAME.matcher(name).matches() || value.isEmpty()) {
                return null;
            }
            // A credential given here must not show up in a log line either.
            SecretRedactor.register(value);
            parsed.put(name.toLowerCase(Locale.ROOT), value);
        }
        return parsed;
    }

    private int compareWithTarget(Recording recording, Map<String, String> extraHeaders, Duration delay,
                                  ProgressBar progress) throws InterruptedException {
        TargetReport report = TargetReplay.run(recording,
                new TargetReplay.Options(targetUri(), extraHeaders, ignoredFields, stripProviderPrefix, delay), progress);
        if (json) {
            printJson(report.toJson());
        } else {
            report.print(spec.commandLine().getOut());
        }
        return report.exitCode();
    }

    private int replayLocally(Recording recording, Duration delay, ProgressBar progress) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        GatehouseConfig config = null;
        if (configFile != null) {
            try {
                config = ConfigLoader.load(configFile, main.environment(), Map.of());
            } catch (ConfigException e) {
                ConfigReport.printProblems(err, configFile, e);
                return BAD_INPUT;
            }
            // The console only: a replay's lines do not belong in the live gateway's log file.
            LoggingConfig logging = config.logging();
            LoggingSetup.apply(new LoggingConfig(logging.level(), logging.format(), null, null, null));
        }
        LocalReplay replay;
        try {
            replay = LocalReplay.start(recording, config);
        } catch (IllegalStateException | IllegalArgumentException e) {
            err.println("✗ cannot start the replay gateway: " + e.getMessage());
            err.flush();
            return 1;
        }
        LocalReport report;
        try (replay) {
            report = replay.run(delay, progress);
        } catch (IllegalStateException e) {
            // The in-process gateway stopped answering: a timeout waiting for it, not a problem with the input.
            err.println("✗ replay stopped: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (json) {
            printJson(report.toJson());
        } else {
            report.print(spec.commandLine().getOut());
        }
        return 0;
    }

    private void printJson(Object report) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.writeString(report));
        out.flush();
    }

    private static int badInput(PrintWriter err, String message) {
        err.println("✗ " + message);
        err.flush();
        return BAD_INPUT;
    }
}
