package io.zatcagateway.chain;

/** 401: the EGS's credentials were refused; the EGS pauses and is retried until they work again. */
public final class ZatcaCredentialsRejected extends Exception {
    private final Submission.Endpoint endpoint;
    private final int status;

    public ZatcaCredentialsRejected(Submission.Endpoint endpoint, String detail) {
        super(endpoint + ": 401 credentials refused: " + detail, null, false, false);
        this.endpoint = endpoint;
        this.status = 401;
    }

    public Submission.Endpoint endpoint() {
        return endpoint;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
