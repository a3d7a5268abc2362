package io.zatcagateway.chain;

/** Transient: ZATCA did not take the document (429, 5xx, timeout, connection error); the same bytes are sent again later. */
public final class ZatcaUnavailable extends ZatcaFailure {
    public ZatcaUnavailable(Submission.Endpoint endpoint, int status, String detail) {
        super(endpoint, status, detail);
    }
}
