package io.zatcagateway.cli;

import io.zatcagateway.app.GatewayContext;
import io.zatcagateway.egs.EgsConfig;
import io.zatcagateway.egs.Onboarding;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Renews an EGS's production CSID before it expires. */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = {"Renews the production CSID of an EGS: new key and CSR, a renewal OTP, PATCH /production/csids;",
                "when ZATCA asks for the compliance checks again (428) they are run and a new production CSID obtained.",
                "The running gateway switches to the new certificate before its next document. Resumable like onboard."})
public final class RenewCommand implements Callable<Integer> {
    @Parameters(paramLabel = "<egs-id>")
    String egsId;

    @Option(names = "--otp", description = "the renewal OTP (else ZGW_OTP, else a prompt)")
    String otp;

    @Option(names = "--config", description = "properties file (default: config/application.properties)")
    Path config;

    @Override
    public Integer call() throws Exception {
        GatewayContext g = new GatewayContext(Config.load(config), null);
        EgsConfig egs = g.egs(egsId);
        Onboarding.Result r = new Onboarding(egs, g.vault(), g.client(egs), System.out).renew(OnboardCommand.otpSource(otp, "renewal OTP for " + egsId));
        return r.ok() ? 0 : 1;
    }
}
