package io.zatcagateway.chain;

/** 401: the EGS's credentials were refused; the EGS pauses and is retried until they work again. */
public final class ZatcaCredentialsRejected extends ZatcaFailure {
    public ZatcaCredentialsRejected(Submission.Endpoint endpoint, String detail) {
        super(endpoint, 401, "credentials refused: " + detail);
    }
}
