package io.gatehouse.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code gatehouse} commands in-process with captured output, an environment of our choosing and a stop button. */
final class CliHarness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Lifetime lifetime = new Lifetime();
    private final CommandLine commandLine;

    CliHarness() {
        this(Map.of());
    }

    CliHarness(Map<String, String> environment) {
        commandLine = new CommandLine(new Main(environment, lifetime));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    int execute(String... args) {
        return commandLine.execute(args);
    }

    /** Runs a long-lived command on its own thread; the future completes with its exit code once stopped. */
    CompletableFuture<Integer> start(String... args) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread thread = new Thread(() -> exit.complete(execute(args)), "gatehouse-cli-under-test");
        thread.setDaemon(true);
        thread.start();
        return exit;
    }

    /** Asks a long-lived command to stop and returns its exit code. */
    int stop(CompletableFuture<Integer> exit) throws Exception {
        lifetime.stop();
        return exit.get(90, TimeUnit.SECONDS);
    }

    /** Waits until stdout contains {@code marker}, failing early if the command ends first. */
    void awaitOutput(String marker, CompletableFuture<Integer> exit) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!out().contains(marker)) {
            if (exit.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("no \"" + marker + "\" in output; stdout:\n" + out() + "\nstderr:\n" + err());
            }
            Thread.sleep(20);
        }
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
