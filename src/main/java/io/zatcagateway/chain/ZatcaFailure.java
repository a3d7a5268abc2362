package io.zatcagateway.chain;

/** A submission that did not end the document; the subclass says what happens next (see the chain routes). */
public abstract class ZatcaFailure extends Exception {
    private final Submission.Endpoint endpoint;
    private final int status;

    protected ZatcaFailure(Submission.Endpoint endpoint, int status, String detail) {
        super((endpoint == null ? "" : endpoint + ": ") + (status == 0 ? "" : status + " ") + detail, null, false, false);
        this.endpoint = endpoint;
        this.status = status;
    }

    /** Where it was sent, null when it failed before any request. */
    public Submission.Endpoint endpoint() {
        return endpoint;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
