package io.zatcagateway.chain;

/** permanent: the request cannot succeed as it is (413, malformed request, unexpected status); the document goes to the dead-letter queue. */
public final class ZatcaPermanentFailure extends Exception {
    private final Submission.Endpoint endpoint;
    private final int status;

    public ZatcaPermanentFailure(Submission.Endpoint endpoint, int status, String detail) {
        super((endpoint == null ? "" : endpoint + ": ") + (status == 0 ? "" : status + " ") + detail, null, false, false);
        this.endpoint = endpoint;
        this.status = status;
    }

    public Submission.Endpoint endpoint() {
        return endpoint;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
