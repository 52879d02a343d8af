package io.gatehouse.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.pipeline.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code gatehouse manage}: llm-proxy's management CLI against a running gateway's {@code /manage} API. Tables by
 * default, the API's raw JSON with {@code --json}; a failure is one line on stderr and exit code 1.
 */
@Command(name = "manage", mixinStandardHelpOptions = true,
        description = {"Manage projects and virtual keys of a running gateway through its management API.",
                "The token comes from --management-token or MANAGEMENT_TOKEN; the URL from --manage-api-base-url or"
                        + " MANAGEMENT_API_BASE_URL (default http://127.0.0.1:4000)."},
        subcommands = {ManageCommand.Projects.class, ManageCommand.Keys.class})
final class ManageCommand implements Runnable {
    static final String DEFAULT_BASE_URL = "http://127.0.0.1:4000";
    private static final List<String> PROJECT_COLUMNS = List.of("id", "name", "is_active", "providers", "created_at");
    private static final List<String> KEY_COLUMNS = List.of("id", "token", "name", "project_id", "is_active", "expires_at",
            "request_count", "max_requests");

    @ParentCommand
    private Main main;
    @Spec
    private CommandSpec spec;

    @Option(names = "--manage-api-base-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The gateway's base URL (default: MANAGEMENT_API_BASE_URL, else " + DEFAULT_BASE_URL + ").")
    private String baseUrl;
    @Option(names = "--management-token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "The management token (default: MANAGEMENT_TOKEN; the environment keeps it out of shell history).")
    private String token;
    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON instead of a table.")
    private boolean json;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: project or key");
    }

    /** Runs {@code action} with a client, turning failures into one line on stderr and exit code 1. */
    private int run(Function<ManageClient, ManageClient.Answer> action, List<String> columns) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String url = baseUrl != null ? baseUrl : main.environment().getOrDefault("MANAGEMENT_API_BASE_URL", DEFAULT_BASE_URL);
            String secret = token != null ? token : main.environment().get("MANAGEMENT_TOKEN");
            ManageClient.Answer answer = action.apply(new ManageClient(url, secret));
            if (json) {
                out.println(answer.body());
                out.flush();
            } else if (answer.body().isEmpty()) {
                out.println("done");
                out.flush();
            } else if (answer.json().isArray()) {
                Table.print(out, columns, answer.json());
            } else {
                Table.printObject(out, answer.json());
            }
            return 0;
        } catch (ManageClient.ManageFailure e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private static Map<String, String> pairs(List<String> values, String option) {
        Map<String, String> pairs = new LinkedHashMap<>();
        if (values != null) {
            for (String value : values) {
                int equals = value.indexOf('=');
                if (equals <= 0) {
                    throw new ManageClient.ManageFailure(option + " takes NAME=VALUE, got '" + value.replaceAll("=.*", "") + "'");
                }
                pairs.put(value.substring(0, equals), value.substring(equals + 1));
            }
        }
        return pairs;
    }

    @Command(name = "project", mixinStandardHelpOptions = true, description = "Projects: list, get, create, update, deactivate.")
    static final class Projects implements Runnable {
        @ParentCommand
        private ManageCommand manage;
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: list, get, create, update or deactivate");
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List projects, newest first.")
        int list(@Option(names = "--search", description = "Part of the name.") String search,
                 @Option(names = "--limit", description = "At most this many (1-500, default 50).") Integer limit,
                 @Option(names = "--offset", description = "Skip this many.") Integer offset) {
            return manage.run(client -> client.send("GET", "/manage/projects"
                    + ManageClient.query(params("search", search, "limit", limit, "offset", offset)), null), PROJECT_COLUMNS);
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a project and its request count.")
        int get(@Parameters(paramLabel = "ID") String id) {
            return manage.run(client -> client.send("GET", "/manage/projects/" + ManageClient.segment(id), null), PROJECT_COLUMNS);
        }

        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a project.")
        int create(@Option(names = "--name", required = true) String name,
                   @Option(names = "--openai-key", paramLabel = "KEY", description = "The project's OpenAI key (llm-proxy's api_key).") String openaiKey,
                   @Option(names = "--provider-key", paramLabel = "PROVIDER=KEY", description = "A provider's key; repeatable.") List<String> providerKeys) {
            return manage.run(client -> {
                ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
                keys(body, openaiKey, providerKeys);
                return client.send("POST", "/manage/projects", body);
            }, PROJECT_COLUMNS);
        }

        @Command(name = "update", mixinStandardHelpOptions = true, description = "Rename, set provider keys, or (re)activate a project.")
        int update(@Parameters(paramLabel = "ID") String id,
                   @Option(names = "--name") String name,
                   @Option(names = "--openai-key", paramLabel = "KEY") String openaiKey,
                   @Option(names = "--provider-key", paramLabel = "PROVIDER=KEY", description = "A provider's key; repeatable.") List<String> providerKeys,
                   @Option(names = "--active", paramLabel = "true|false", arity = "1") Boolean active) {
            return manage.run(client -> {
                ObjectNode body = Json.MAPPER.createObjectNode();
                if (name != null) {
                    body.put("name", name);
                }
                if (active != null) {
                    body.put("is_active", active);
                }
                keys(body, openaiKey, providerKeys);
                return client.send("PATCH", "/manage/projects/" + ManageClient.segment(id), body);
            }, PROJECT_COLUMNS);
        }

        @Command(name = "deactivate", mixinStandardHelpOptions = true,
                description = "Deactivate a project: its keys stop working at once (projects are never deleted).")
        int deactivate(@Parameters(paramLabel = "ID") String id,
                       @Option(names = "--revoke-keys", description = "Also revoke every key of the project.") boolean revokeKeys) {
            return manage.run(client -> client.send("PATCH", "/manage/projects/" + ManageClient.segment(id),
                    Json.MAPPER.createObjectNode().put("is_active", false).put("revoke_tokens", revokeKeys)), PROJECT_COLUMNS);
        }

        private static void keys(ObjectNode body, String openaiKey, List<String> providerKeys) {
            if (openaiKey != null) {
                body.put("api_key", openaiKey);
            }
            Map<String, String> given = pairs(providerKeys, "--provider-key");
            if (!given.isEmpty()) {
                ObjectNode keys = body.putObject("provider_keys");
                given.forEach(keys::put);
            }
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true, description = "Virtual keys: create, list, get, revoke.")
    static final class Keys implements Runnable {
        @ParentCommand
        private ManageCommand manage;
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: create, list, get or revoke");
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Create a key; its secret is printed this once and cannot be shown again.")
        int create(@Option(names = "--project-id", required = true) String projectId,
                   @Option(names = "--name") String name,
                   @Option(names = "--duration", paramLabel = "MINUTES", description = "Expires after this many minutes (default: never).") Long minutes,
                   @Option(names = "--max-requests", paramLabel = "N", description = "Lifetime quota (default: unlimited).") Long maxRequests,
                   @Option(names = "--allowed-model", paramLabel = "GLOB", description = "A model it may use, such as gpt-4o*; repeatable.") List<String> models,
                   @Option(names = "--metadata", paramLabel = "NAME=VALUE", description = "A label (user, team, feature, …); repeatable.") List<String> metadata) {
            return manage.run(client -> {
                ObjectNode body = Json.MAPPER.createObjectNode().put("project_id", projectId);
                if (name != null) {
                    body.put("name", name);
                }
                if (minutes != null) {
                    body.put("duration_minutes", minutes);
                }
                if (maxRequests != null) {
                    body.put("max_requests", maxRequests);
                }
                if (models != null) {
                    models.forEach(body.putArray("allowed_models")::add);
                }
                Map<String, String> labels = pairs(metadata, "--metadata");
                if (!labels.isEmpty()) {
                    ObjectNode json = body.putObject("metadata");
                    labels.forEach(json::put);
                }
                return client.send("POST", "/manage/tokens", body);
            }, KEY_COLUMNS);
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys, newest first.")
        int list(@Option(names = "--project-id") String projectId,
                 @Option(names = "--search", description = "Part of the key's name.") String search,
                 @Option(names = "--limit", description = "At most this many (1-500, default 50).") Integer limit,
                 @Option(names = "--offset", description = "Skip this many.") Integer offset) {
            return manage.run(client -> client.send("GET", "/manage/tokens" + ManageClient.query(
                    params("project_id", projectId, "search", search, "limit", limit, "offset", offset)), null), KEY_COLUMNS);
        }

        @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a key (never its secret).")
        int get(@Parameters(paramLabel = "ID") String id) {
            return manage.run(client -> client.send("GET", "/manage/tokens/" + ManageClient.segment(id), null), KEY_COLUMNS);
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key, at once on every instance.")
        int revoke(@Parameters(paramLabel = "ID") String id) {
            return manage.run(client -> client.send("DELETE", "/manage/tokens/" + ManageClient.segment(id), null), KEY_COLUMNS);
        }
    }

    private static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            params.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return params;
    }
}
