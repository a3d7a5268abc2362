package io.zatcagateway.egs;

import io.zatcagateway.core.csr.EgsProfile;
import io.zatcagateway.core.csr.ZatcaEnvironment;
import io.zatcagateway.core.ubl.UblInvoiceBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;

/**
 * One EGS unit, from {@code config/egs/<egs-id>.properties}: which environment it lives in, who the seller is,
 * which document kinds it issues, and the solution and device it runs on. {@link #load} names the file and the field
 * of every problem.
 */
public record EgsConfig(String id, ZatcaEnvironment environment, String baseUrl, String vat, String sellerId,
                        String sellerIdScheme, String sellerName, String branch, String commonName, String street,
                        String building, String district, String city, String postalZone, String address,
                        String industry, boolean standard, boolean simplified, String solutionName,
                        String solutionVersion, String deviceSerial, Map<String, String> routing) {

    /** The addressing keys an EGS file may set as {@code route.<key>}: documents of its VAT with these values go to it. */
    public static final List<String> ROUTING_KEYS = List.of("company-code", "sales-organisation", "plant", "branch", "business-unit");

    /** Thrown when an EGS file is not usable; the message lists every problem. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /** Reads and checks one file; {@code simulatorBaseUrl} is used for {@code environment = simulator} without base-url. */
    public static EgsConfig load(Path file, String simulatorBaseUrl) throws Invalid {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Invalid(file + ": cannot be read: " + e.getMessage());
        }
        String name = file.getFileName().toString();
        String id = name.endsWith(".properties") ? name.substring(0, name.length() - ".properties".length()) : name;
        List<String> problems = new ArrayList<>();
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
            problems.add("file name: the EGS id '" + id + "' may hold only letters, digits, '-' and '_' (at most 64)");
        }
        ZatcaEnvironment env = null;
        try {
            env = ZatcaEnvironment.fromId(p.getProperty("environment"));
        } catch (IllegalArgumentException e) {
            problems.add("environment: " + e.getMessage());
        }
        String kinds = p.getProperty("document-kinds", "").trim().toLowerCase();
        boolean standard = kinds.equals("standard") || kinds.equals("both");
        boolean simplified = kinds.equals("simplified") || kinds.equals("both");
        if (!standard && !simplified) {
            problems.add("document-kinds: '" + kinds + "' must be standard, simplified or both");
        }
        String baseUrl = trim(p.getProperty("base-url"));
        if (baseUrl == null && env != null) {
            baseUrl = env == ZatcaEnvironment.SIMULATOR ? simulatorBaseUrl : env.baseUrl();
        }
        if (baseUrl == null) {
            problems.add("base-url: missing (environment simulator needs the simulator's URL)");
        }
        String scheme = trim(p.getProperty("seller-id-scheme", "CRN"));
        if (!List.of("CRN", "MOM", "MLS", "SAG", "OTH", "700").contains(scheme)) {
            problems.add("seller-id-scheme: '" + scheme + "' must be CRN, MOM, MLS, SAG, OTH or 700 (BR-KSA-08)");
        }
        String sellerId = trim(p.getProperty("seller-id"));
        if (sellerId == null || !sellerId.matches("[A-Za-z0-9]+")) {
            problems.add("seller-id: '" + sellerId + "' must be the CRN or other seller id, letters and digits only");
        }
        String building = trim(p.getProperty("building-number"));
        if (building != null && !building.matches("[0-9]{4}")) {
            problems.add("building-number: '" + building + "' must be 4 digits (BR-KSA-37)");
        }
        String postal = trim(p.getProperty("postal-zone"));
        if (postal != null && !postal.matches("[0-9]{5}")) {
            problems.add("postal-zone: '" + postal + "' must be 5 digits (BR-KSA-66)");
        }
        for (String required : new String[] {"vat", "seller-name", "branch", "street", "building-number", "district", "city",
                "postal-zone", "industry", "solution-name", "solution-version", "device-serial"}) {
            if (trim(p.getProperty(required)) == null) {
                problems.add(required + ": missing");
            }
        }
        Map<String, String> routing = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("route.")) {
                String key = k.substring("route.".length());
                if (!ROUTING_KEYS.contains(key)) {
                    problems.add(k + ": unknown addressing key; use route." + String.join(", route.", ROUTING_KEYS));
                } else if (trim(p.getProperty(k)) != null) {
                    routing.put(key, p.getProperty(k).trim());
                }
            }
        }
        String street = trim(p.getProperty("street"));
        String city = trim(p.getProperty("city"));
        EgsConfig c = new EgsConfig(id, env, baseUrl, trim(p.getProperty("vat")), sellerId, scheme, trim(p.getProperty("seller-name")),
                trim(p.getProperty("branch")), trim(p.getProperty("common-name", "EGS-" + id)), street, building,
                trim(p.getProperty("district")), city, postal, trim(p.getProperty("address", (street == null ? "" : street) + ", " + (city == null ? "" : city))),
                trim(p.getProperty("industry")), standard, simplified, trim(p.getProperty("solution-name")),
                trim(p.getProperty("solution-version")), trim(p.getProperty("device-serial")), Map.copyOf(routing));
        {
            for (String s : c.profile().problems()) {
                String named = s.replace("organization-name:", "seller-name:").replace("organization-unit:", "branch:")
                        .replace("serial-number:", "solution-name/solution-version/device-serial:");
                String key = named.substring(0, named.indexOf(':'));
                if (!key.equals("environment") && !key.equals("document-kinds") && problems.stream().noneMatch(x -> x.startsWith(key + ":"))) {
                    problems.add(named);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Invalid(file + ": " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
        }
        return c;
    }

    /** Every {@code *.properties} in the folder, sorted by id; all problems of all files in one exception. */
    public static List<EgsConfig> loadAll(Path dir, String simulatorBaseUrl) throws Invalid {
        List<EgsConfig> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".properties")).sorted().toList()) {
                try {
                    out.add(load(f, simulatorBaseUrl));
                } catch (Invalid e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new Invalid(dir + ": cannot be listed: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("\n", problems));
        }
        return out;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The CSR fields ZATCA certifies this EGS with. */
    public EgsProfile profile() {
        String type = (standard ? "1" : "0") + (simplified ? "1" : "0") + "00";
        return new EgsProfile(commonName, "1-" + solutionName + "|2-" + solutionVersion + "|3-" + deviceSerial, vat, branch,
                sellerName, type, address, industry, environment);
    }

    /** The seller as it appears on this EGS's documents. */
    public UblInvoiceBuilder.Party seller() {
        return new UblInvoiceBuilder.Party(sellerName, vat, sellerId, sellerIdScheme, street, building, district, city, postalZone, "SA");
    }
}
