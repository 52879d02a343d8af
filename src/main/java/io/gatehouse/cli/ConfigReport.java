package io.gatehouse.cli;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.ConfigView;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.ProviderConfig;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How commands show a configuration's problems and contents; never its keys. */
final class ConfigReport {
    private ConfigReport() {
    }

    /** One {@code ✗ file: key: reason} line per problem. */
    static void printProblems(PrintWriter err, Path file, ConfigException e) {
        String prefix = file == null ? "" : file + ": ";
        e.problems().forEach(problem -> err.println("✗ " + prefix + problem));
        err.flush();
    }

    /** {@code name → type base_url}, the default provider marked. */
    static List<String> providers(GatehouseConfig config) {
        String defaultName = ConfigView.defaultProviderName(config);
        List<String> lines = new ArrayList<>();
        for (ProviderConfig provider : ConfigView.providers(config)) {
            lines.add(provider.name() + " → " + provider.type() + " " + provider.baseUrl()
                    + (provider.name().equals(defaultName) ? " (default)" : ""));
        }
        return lines;
    }
}
