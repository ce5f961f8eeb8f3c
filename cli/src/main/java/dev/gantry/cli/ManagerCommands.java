package dev.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.EndpointDir;
import dev.gantry.endpoint.identity.LocalAccounts;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.endpoint.manager.ManagerConfig;
import dev.gantry.endpoint.manager.UserEndpointMain;
import dev.gantry.endpoint.template.TemplateInputs;
import dev.gantry.endpoint.template.UserConfigSchema;
import dev.gantry.endpoint.template.UserConfigTemplate;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.sdk.UserRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The endpoint commands of multi-user endpoints: rendering templates offline, systemd units, the user endpoint. */
final class ManagerCommands {
    private ManagerCommands() {}

    @Command(
            name = "_start-user-endpoint",
            hidden = true,
            description = "Run a user endpoint (started by its manager).")
    static final class StartUserEndpoint implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return UserEndpointMain.run(System.in, System.out);
        }
    }

    @Command(
            name = "render-user-config",
            mixinStandardHelpOptions = true,
            description = "Render a user endpoint config from a template, offline, as the current user.")
    static final class Render implements Callable<Integer> {
        @Option(
                names = {"-e", "--endpoint"},
                description = "Endpoint manager whose template and schema to use.")
        String endpoint;

        @Option(
                names = {"-t", "--template"},
                description = "Template file (instead of the endpoint's).")
        Path template;

        @Option(
                names = {"-o", "--user-options"},
                description = "JSON file of user_endpoint_config values.")
        Path options;

        @Option(
                names = {"-s", "--user-schema"},
                description = "JSON Schema file (instead of the endpoint's).")
        Path schema;

        @Option(names = "--user-runtime", description = "JSON file of user_runtime (default: this JVM's).")
        Path runtime;

        @Option(
                names = "--mapped-identity",
                description = "Local account name to render for (default: the current user).")
        String account;

        @Override
        public Integer call() throws IOException {
            if (endpoint == null && template == null) {
                throw new GantryException(ApiError.SEMANTICALLY_INVALID, "give --endpoint NAME or --template FILE");
            }
            EndpointDir d = endpoint == null ? null : EndpointCommand.dir(endpoint);
            ManagerConfig cfg = d == null ? null : ManagerConfig.read(d.config());
            Path t = template != null ? template : cfg.template(d.dir());
            Path s = schema != null
                    ? schema
                    : cfg != null && Files.isRegularFile(cfg.schema(d.dir())) ? cfg.schema(d.dir()) : null;
            String who = account != null ? account : System.getProperty("user.name");
            LocalUser user = new LocalAccounts()
                    .byName(who)
                    .orElseThrow(
                            () -> new GantryException(ApiError.SEMANTICALLY_INVALID, "no local account named " + who));
            JsonNode rt = runtime != null ? json(runtime) : Json.mapper().valueToTree(UserRuntime.current());
            UserConfigTemplate tpl = new UserConfigTemplate(
                    Files.readString(t),
                    t.toAbsolutePath().getParent(),
                    s == null ? null : UserConfigSchema.parse(Files.readString(s)));
            System.out.print(tpl.render(new TemplateInputs(
                    options == null ? null : json(options),
                    rt,
                    user,
                    "00000000-0000-0000-0000-000000000000",
                    cfg == null ? Map.of() : cfg.forTemplates(false))));
            return 0;
        }

        private static JsonNode json(Path p) throws IOException {
            return Json.read(Files.readString(p), JsonNode.class);
        }
    }

    @Command(
            name = "enable-on-boot",
            mixinStandardHelpOptions = true,
            description = "Write a systemd unit that starts this endpoint at boot.")
    static final class EnableOnBoot implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name.")
        String name;

        @Option(names = "--unit-dir", description = "Where to write the unit (default ${DEFAULT-VALUE}).")
        Path unitDir = Path.of("/etc/systemd/system");

        @Override
        public Integer call() throws IOException {
            EndpointDir d = EndpointRef.local(name);
            if (d.running().isPresent()) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "endpoint " + name + " is running; stop it first, then let systemd start it");
            }
            Path unit = unitDir.resolve(SystemdUnit.fileName(name));
            if (Files.exists(unit)) {
                throw new GantryException(ApiError.SEMANTICALLY_INVALID, unit + " exists already");
            }
            Files.createDirectories(unitDir);
            String launcher = System.getProperty("gantry.launcher");
            Files.writeString(
                    unit,
                    SystemdUnit.text(
                            name,
                            SystemdUnit.command(
                                    launcher,
                                    ProcessHandle.current().info().command().orElse("java"),
                                    System.getProperty("java.class.path")),
                            dev.gantry.protocol.GantryHome.resolve().dir(),
                            System.getProperty("user.name")));
            if (SystemdUnit.inCheckout(launcher)) {
                System.out.println("Note: the unit runs the source checkout's " + launcher + ", which rebuilds when"
                        + " its sources change; for a copy that does not, run ./gantry install --prefix /opt/gantry"
                        + " and enable-on-boot again with /opt/gantry/bin/gantry.");
            }
            System.out.println("Wrote " + unit + ". Now run: systemctl daemon-reload && systemctl enable --now "
                    + SystemdUnit.fileName(name));
            return 0;
        }
    }

    @Command(
            name = "disable-on-boot",
            mixinStandardHelpOptions = true,
            description = "Remove the systemd unit written by enable-on-boot.")
    static final class DisableOnBoot implements Callable<Integer> {
        @Parameters(index = "0", defaultValue = "default", description = "Endpoint name.")
        String name;

        @Option(names = "--unit-dir", description = "Where the unit is (default ${DEFAULT-VALUE}).")
        Path unitDir = Path.of("/etc/systemd/system");

        @Override
        public Integer call() throws IOException {
            EndpointCommand.dir(name);
            Path unit = unitDir.resolve(SystemdUnit.fileName(name));
            if (!Files.deleteIfExists(unit)) {
                System.out.println("No unit " + unit + "; nothing to do.");
                return 0;
            }
            System.out.println("Removed " + unit + ". If it was enabled, also run: systemctl disable --now "
                    + SystemdUnit.fileName(name) + " && systemctl daemon-reload");
            return 0;
        }
    }
}
