package io.zatcagateway.cli;

import io.zatcagateway.app.GatewayContext;
import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.Onboarding;
import java.io.Console;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Onboards an EGS: key and CSR, compliance CSID with the OTP, compliance checks, production CSID. Resumable. */
@Command(name = "onboard", mixinStandardHelpOptions = true,
        description = {"Onboards an EGS unit with ZATCA: new key and CSR, compliance CSID (needs the OTP), the compliance checks,",
                "then the production CSID. Each step is saved; run it again to continue after a failure.",
                "The OTP comes from --otp, the ZGW_OTP environment variable, or a prompt (not echoed); it is never logged."})
public final class OnboardCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<egs-id>", description = "the EGS, as in config/egs/<egs-id>.properties")
    String egsId;

    @Option(names = "--otp", description = "the six-digit OTP from the Fatoora portal (valid 60 minutes, single use)")
    String otp;

    @Option(names = "--config", description = "properties file (default: config/application.properties)")
    Path config;

    @Override
    public Integer call() throws Exception {
        GatewayContext g = new GatewayContext(Config.load(config), null);
        EgsConfig egs = g.egs(egsId);
        Onboarding.Result r = new Onboarding(egs, g.vault(), g.client(egs), System.out).onboard(otpSource(otp, "OTP for " + egsId));
        return r.ok() ? 0 : 1;
    }

    /** --otp, then ZGW_OTP, then a prompt without echo; asked only when a step needs it. */
    static Supplier<String> otpSource(String given, String prompt) {
        return () -> {
            if (given != null) {
                return given;
            }
            String env = System.getenv("ZGW_OTP");
            if (env != null && !env.isBlank()) {
                return env;
            }
            Console c = System.console();
            if (c == null) {
                return null;
            }
            char[] typed = c.readPassword(prompt + " (input hidden): ");
            return typed == null ? null : new String(typed);
        };
    }
}
