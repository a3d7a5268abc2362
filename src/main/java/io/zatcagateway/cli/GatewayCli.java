package io.zatcagateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code java -jar target/zatca-gateway.jar <command>}. */
@Command(name = "zatca-gateway", mixinStandardHelpOptions = true, version = "zatca-gateway 0.1.0",
        description = "Middleware between ERPs and ZATCA Fatoora (Phase 2 e-invoicing).",
        subcommands = {RunCommand.class, SimulatorCommand.class, OnboardCommand.class, RenewCommand.class, EgsCommand.class,
                ValidateCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class GatewayCli implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int execute(String... args) {
        return new CommandLine(new GatewayCli()).execute(args);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
