package io.zatcagateway.chain;

import io.zatcagateway.intake.ErrorFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A folder of finished documents for finance: {@code <root>/<egs>/<issue date>/<document number>.<suffix>}. Every
 * file is written aside under a hidden temporary name, forced to disk when asked, then renamed in one atomic step, so a
 * reader never sees half a file. Writing the same document again replaces its files (a resubmission after a crash).
 */
public final class Outbox {
    /** An issue date (ISO, perhaps with a time after it) names the outbox folder. */
    private static final Pattern DATED = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private final Path root;
    private final boolean force;

    public Outbox(Path root, boolean force) throws IOException {
        this.root = root;
        this.force = force;
        Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    /** Writes the files of one document (suffix → bytes, e.g. {@code "xml"}) and returns their paths. */
    public Map<String, Path> write(String egs, String issueDate, String number, Map<String, byte[]> files) throws IOException {
        String date = issueDate != null && DATED.matcher(issueDate).lookingAt() ? issueDate.substring(0, 10) : "undated";
        Path dir = root.resolve(ErrorFolder.safe(egs)).resolve(date);
        Files.createDirectories(dir);
        String base = ErrorFolder.safe(number == null ? "document" : number);
        Map<String, Path> written = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = dir.resolve(base + "." + f.getKey());
            Path tmp = dir.resolve("." + base + "." + f.getKey() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(f.getValue());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (force) {
                    ch.force(false);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written.put(f.getKey(), target);
        }
        return written;
    }
}
