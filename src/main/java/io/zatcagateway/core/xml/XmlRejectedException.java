package io.zatcagateway.core.xml;

/**
 * Input that is not acceptable XML for the gateway: malformed, hostile (DOCTYPE, entities), too large or not UTF-8.
 * The code says which, the message says what a person should do about it.
 */
public class XmlRejectedException extends Exception {
    private final String code;

    public XmlRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public XmlRejectedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** One of {@code XML-MALFORMED}, {@code XML-DOCTYPE}, {@code XML-TOO-LARGE}, {@code XML-ENCODING}, {@code XML-NOT-UBL}. */
    public String code() {
        return code;
    }
}
