package io.gatehouse.cli;

import io.gatehouse.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;

/** The {@code gatehouse} command line. Exit codes: 0 success, 1 error, 2 usage error. */
@Command(name = "gatehouse",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "An LLM API gateway: proxies OpenAI- and Anthropic-style APIs, injecting keys and observing every call.",
        subcommands = {
                RunCommand.class,
                DemoCommand.class,
                GenerateConfigCommand.class,
                ValidateConfigCommand.class,
                MockUpstreamCommand.class,
                ReplayCommand.class,
                ManageCommand.class,
                AuditCommand.class})
public final class Main implements Runnable {
    @Spec
    private CommandSpec spec;

    private final Map<String, String> environment;
    private final Lifetime lifetime;

    public Main() {
        this(System.getenv(), new Lifetime());
    }

    /** For tests: a chosen environment, and a lifetime they can end. */
    Main(Map<String, String> environment, Lifetime lifetime) {
        this.environment = environment;
        this.lifetime = lifetime;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    Map<String, String> environment() {
        return environment;
    }

    Lifetime lifetime() {
        return lifetime;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: run, demo, generate-config, validate-config, mock-upstream, replay, manage or audit");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"gatehouse " + Version.get()};
        }
    }
}
