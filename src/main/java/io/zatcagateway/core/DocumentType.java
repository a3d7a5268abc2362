package io.zatcagateway.core;

/** ZATCA document types ({@code cbc:InvoiceTypeCode} text). */
public enum DocumentType {
    INVOICE("388", "invoice"),
    CREDIT_NOTE("381", "credit_note"),
    DEBIT_NOTE("383", "debit_note"),
    PREPAYMENT("386", "prepayment_invoice");

    private final String code;
    private final String eventName;

    DocumentType(String code, String eventName) {
        this.code = code;
        this.eventName = eventName;
    }

    public String code() {
        return code;
    }

    /** Name used in event types, e.g. {@code credit_note}. */
    public String eventName() {
        return eventName;
    }

    public boolean isNote() {
        return this == CREDIT_NOTE || this == DEBIT_NOTE;
    }

    public static DocumentType fromCode(String code) {
        for (DocumentType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        return null;
    }
}
