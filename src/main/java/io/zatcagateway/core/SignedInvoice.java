package io.zatcagateway.core;

/**
 * A signed document: the exact bytes to store and send, and the values the chain and the API call need.
 * {@code invoiceHash} is the next document's PIH and the {@code invoiceHash} field of the API body.
 */
public record SignedInvoice(byte[] xml, String invoiceHash, String uuid, long icv, String pih, String qr,
                            String signatureValue, String signingTime, InvoiceFacts facts) {
}
