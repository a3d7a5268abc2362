package io.zatcagateway.egs;

/** An EGS cannot sign now (not onboarded, certificate expired or not yet valid); the message says why and what to do. */
public class EgsUnavailableException extends Exception {
    private final String egs;

    public EgsUnavailableException(String egs, String message) {
        super(message);
        this.egs = egs;
    }

    public String egs() {
        return egs;
    }
}
