package io.zatcagateway.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zatcagateway.core.validation.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The error folder: for each refused input (or one refused document of a multi-document input) the original bytes and
 * {@code <name>.error.json} with the source, the document number when known, and every rule code, message and
 * location. Names are made from the source name with anything but letters, digits, '.', '-' and '_' replaced, prefixed
 * with the time, so nothing is overwritten and no name can leave the folder. Files appear whole (written aside, then
 * moved in).
 */
public final class ErrorFolder {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final Pattern LEADING_DOTS = Pattern.compile("^[.]+");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ErrorFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** What was written: the copy of the input and its reasons. */
    public record Written(Path original, Path reasons, Map<String, Object> record) {
    }

    /**
     * @param details the record's fields besides the errors (source, channel, format, part, document number, ...)
     */
    public synchronized Written write(Instant now, String source, String partSuffix, InputStream original, List<Finding> errors,
                                      Map<String, Object> details) throws IOException {
        Files.createDirectories(dir);
        String base = STAMP.format(now) + "-" + safe(source == null ? "input" : source);
        if (partSuffix != null) {
            int dot = base.lastIndexOf('.');
            base = dot > 0 ? base.substring(0, dot) + "-" + safe(partSuffix) + base.substring(dot) : base + "-" + safe(partSuffix);
        }
        String name = base;
        for (int i = 1; Files.exists(dir.resolve(name)) || Files.exists(dir.resolve(name + ".error.json")); i++) {
            name = base + "-" + i;
        }
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(".tmp-" + name);
        Files.copy(original, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        Map<String, Object> record = new LinkedHashMap<>(details);
        record.put("receivedAt", now.toString());
        record.put("originalFile", target.getFileName().toString());
        record.put("errors", errors.stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", f.code());
            m.put("message", f.message());
            m.put("location", f.location());
            return m;
        }).toList());
        Path reasons = dir.resolve(name + ".error.json");
        Path tmpJson = dir.resolve(".tmp-" + name + ".error.json");
        JSON.writeValue(tmpJson.toFile(), record);
        Files.move(tmpJson, reasons, StandardCopyOption.ATOMIC_MOVE);
        return new Written(target, reasons, record);
    }

    /** Letters, digits, '.', '-' and '_' only; '/' becomes '_'; no leading dot; at most 120 characters. */
    public static String safe(String name) {
        String s = LEADING_DOTS.matcher(UNSAFE.matcher(name).replaceAll("_")).replaceFirst("_");
        if (s.isEmpty()) {
            s = "input";
        }
        return s.length() > 120 ? s.substring(s.length() - 120) : s;
    }
}
