package io.gatehouse.cli;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigLoader;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.InterceptorConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "validate-config", mixinStandardHelpOptions = true,
        description = "Check a configuration file (with the current environment applied) and summarise it.")
final class ValidateConfigCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "The YAML configuration file.")
    private Path path;

    @Override
    public Integer call() {
        GatehouseConfig config;
        try {
            config = ConfigLoader.load(path, main.environment(), Map.of());
        } catch (ConfigException e) {
            ConfigReport.printProblems(spec.commandLine().getErr(), path, e);
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("✓ Configuration is valid: " + path);
        out.println("  server: " + config.server().host() + ":" + config.server().port());
        out.println("  providers:");
        ConfigReport.providers(config).forEach(line -> out.println("    " + line));
        long enabled = config.interceptors().stream().filter(InterceptorConfig::enabled).count();
        out.println("  interceptors: " + config.interceptors().size() + " (" + enabled + " enabled)");
        out.flush();
        return 0;
    }
}
