package io.zatcagateway.chain;

/** Permanent: the request cannot succeed as it is (413, malformed request, unexpected status); the document goes to the dead-letter queue. */
public final class ZatcaPermanentFailure extends ZatcaFailure {
    public ZatcaPermanentFailure(Submission.Endpoint endpoint, int status, String detail) {
        super(endpoint, status, detail);
    }
}
