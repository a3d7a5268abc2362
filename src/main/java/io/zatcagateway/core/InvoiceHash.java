package io.zatcagateway.core;

import io.zatcagateway.core.xml.Dom;
import io.zatcagateway.core.xml.Ns;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.xml.security.c14n.Canonicalizer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The invoice hash: the document without {@code ext:UBLExtensions}, {@code cac:Signature} and the QR
 * {@code cac:AdditionalDocumentReference}, canonicalised with C14N 1.1, SHA-256, base64 of the 32 raw bytes.
 * Whitespace text around the removed elements stays, exactly as ZATCA hashes it.
 */
public final class InvoiceHash {
    /** PIH of the first document of an EGS: base64 of the hex text of SHA-256("0"). */
    public static final String GENESIS_PIH =
            "NWZlY2ViNjZmZmM4NmYzOGQ5NTI3ODZjNmQ2OTZjNzljMmRiYzIzOWRkNGU5MWI0NjcyOWQ3M2EyN2ZiNTdlOQ==";

    static {
        org.apache.xml.security.Init.init();
    }

    private InvoiceHash() {
    }

    /** Base64 invoice hash of the document. The document is left exactly as it was. */
    public static String of(Document doc) {
        return Base64.getEncoder().encodeToString(digest(doc));
    }

    /** Raw 32-byte invoice hash. */
    public static byte[] digest(Document doc) {
        return sha256(canonicalForm(doc));
    }

    /** The canonical bytes that are hashed (C14N 1.1 of the document minus the three excluded parts). */
    public static byte[] canonicalForm(Document doc) {
        Element root = doc.getDocumentElement();
        List<Node[]> detached = new ArrayList<>(3);
        for (Node n = root.getFirstChild(); n != null; ) {
            Node next = n.getNextSibling();
            if (n.getNodeType() == Node.ELEMENT_NODE && excluded((Element) n)) {
                detached.add(new Node[] {n, next});
                root.removeChild(n);
            }
            n = next;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
            Canonicalizer.getInstance(Canonicalizer.ALGO_ID_C14N11_OMIT_COMMENTS).canonicalizeSubtree(doc, out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException("C14N 1.1 failed: " + e.getMessage(), e);
        } finally {
            for (int i = detached.size() - 1; i >= 0; i--) {
                root.insertBefore(detached.get(i)[0], detached.get(i)[1]);
            }
        }
    }

    static boolean excluded(Element e) {
        String ns = e.getNamespaceURI();
        String name = e.getLocalName();
        if (Ns.EXT.equals(ns) && "UBLExtensions".equals(name)) {
            return true;
        }
        if (Ns.CAC.equals(ns) && "Signature".equals(name)) {
            return true;
        }
        return Ns.CAC.equals(ns) && "AdditionalDocumentReference".equals(name) && "QR".equals(Dom.text(e, "cbc:ID"));
    }

    public static byte[] sha256(byte[] data) {
        try {
            // the JDK provider (SHA-NI intrinsic); BouncyCastle's digest is ~9x slower
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64(lowercase-hex(SHA-256(text))): the digest form of the XAdES certificate and signed-properties digests. */
    public static String hexDigestBase64(String text) {
        byte[] d = sha256(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(64);
        for (byte b : d) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
