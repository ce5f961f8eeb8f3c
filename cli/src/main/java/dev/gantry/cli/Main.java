package dev.gantry.cli;

import dev.gantry.cli.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code gantry} command. */
@Command(
        name = "gantry",
        mixinStandardHelpOptions = true,
        version = "gantry 0.1.0",
        description = "Gantry: run functions on any resource, from a laptop to a supercomputer.",
        subcommands = {
            ServiceCommand.class,
            EndpointCommand.class,
            TaskCommand.class,
            JshellCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("demo") && System.getProperty("gantry.log.level") == null) {
            System.setProperty("gantry.log.level", "WARN");
        }
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("gantry: " + e.getMessage());
            return e instanceof dev.gantry.protocol.GantryException ? 2 : 1;
        });
        return cl.execute(args);
    }
}
