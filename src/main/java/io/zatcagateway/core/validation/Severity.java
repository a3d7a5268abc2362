package io.zatcagateway.core.validation;

/** ERROR blocks submission (ZATCA would answer 400); WARNING travels with the document (202); INFO is advice. */
public enum Severity {
    ERROR, WARNING, INFO
}
