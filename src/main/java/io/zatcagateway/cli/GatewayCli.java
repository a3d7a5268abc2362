package io.zatcagateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code java -jar target/zatca-gateway.jar <command>}. */
@Command(name = "zatca-gateway", mixinStandardHelpOptions = true, version = "zatca-gateway 0.1.0",
        description = "Middleware between ERPs and ZATCA Fatoora (Phase 2 e-invoicing).",
        subcommands = {RunCommand.class, SimulatorCommand.class, OnboardCommand.class, RenewCommand.class, EgsCommand.class,
                ValidateCommand.class, VerifyCommand.class, StatusCommand.class, ChainCommand.class, ReplayCommand.class,
                CommandLine.HelpCommand.class})
public final class GatewayCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int execute(String... args) {
        return new CommandLine(new GatewayCli()).setExecutionExceptionHandler(GatewayCli::failed).execute(args);
    }

    /** A command that fails says why in one line (the stack trace only with -Dgateway.debug=true) and exits 1. */
    static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        cl.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (Boolean.getBoolean("gateway.debug")) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return 1;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
