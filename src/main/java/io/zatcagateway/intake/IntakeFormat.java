package io.zatcagateway.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One ERP export format the gateway takes in, from one line of configuration:
 * <pre>gateway.format.&lt;name&gt; = &lt;stylesheet or none&gt;; root=&lt;root element&gt;[; split=&lt;element&gt;]</pre>
 * The name is also the inbox sub-folder ({@code data/inbox/<name>}) and the value of the {@code ZgwFormat} JMS header.
 * The root is a local name or {@code {namespace}local}; it identifies the format of a message without a header.
 * {@code split} names the child element that holds one document when a file may carry several (SAP IDocs).
 *
 * @param stylesheet path of the XSLT that turns one document into UBL 2.1, or null for documents already in UBL
 */
public record IntakeFormat(String name, String stylesheet, String rootNamespace, String rootName, String split) {

    public static final String PREFIX = "gateway.format.";

    /** Every {@code gateway.format.*} line, in name order; a bad line is an error naming the key. */
    public static Map<String, IntakeFormat> all(Properties p) {
        Map<String, IntakeFormat> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith(PREFIX)).sorted().forEach(k -> {
            String name = k.substring(PREFIX.length());
            try {
                out.put(name, parse(name, p.getProperty(k)));
            } catch (IllegalArgumentException e) {
                problems.add(k + ": " + e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return out;
    }

    static IntakeFormat parse(String name, String line) {
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("format name '" + name + "' must be lower-case letters, digits, '-' or '_' (it is a folder name)");
        }
        String[] parts = line.split(";");
        String stylesheet = parts[0].trim();
        String root = null;
        String split = null;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + parts[i].trim() + "' is not key=value");
            }
            switch (kv[0].trim()) {
                case "root" -> root = kv[1].trim();
                case "split" -> split = kv[1].trim();
                default -> throw new IllegalArgumentException("unknown option '" + kv[0].trim() + "' (root, split)");
            }
        }
        if (stylesheet.isEmpty()) {
            throw new IllegalArgumentException("the stylesheet (or 'none') is missing");
        }
        if (root == null || root.isEmpty()) {
            throw new IllegalArgumentException("root=<element> is missing");
        }
        String ns = null;
        String local = root;
        if (root.startsWith("{")) {
            int close = root.indexOf('}');
            if (close < 0) {
                throw new IllegalArgumentException("root '" + root + "' lacks the closing '}'");
            }
            ns = root.substring(1, close);
            local = root.substring(close + 1);
        }
        return new IntakeFormat(name, stylesheet.equalsIgnoreCase("none") ? null : stylesheet, ns, local, split);
    }

    public boolean matchesRoot(String namespace, String localName) {
        return rootName.equals(localName) && (rootNamespace == null || rootNamespace.equals(namespace == null ? "" : namespace));
    }

    public String root() {
        return rootNamespace == null ? rootName : "{" + rootNamespace + "}" + rootName;
    }
}
