package io.zatcagateway.chain;

/** transient: ZATCA did not take the document (429, 5xx, timeout, connection error); the same bytes are sent again later. */
public final class ZatcaUnavailable extends Exception {
    private final Submission.Endpoint endpoint;
    private final int status;

    public ZatcaUnavailable(Submission.Endpoint endpoint, int status, String detail) {
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
