package io.zatcagateway.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.component.file.GenericFileExclusiveReadLockStrategy;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.strategy.GenericFileProcessStrategySupport;

/**
 * The inbox folder's process strategy (bean {@code inboxArchive}, option {@code processStrategy} of the
 * {@code intake-folder} route): takes a file under its read lock ({@link SharedReadLock}) and, once every document of
 * the file is on its queue or in the error folder, moves it to {@code <archive>/<yyyy-MM-dd>/<format>/<name>-<HHmmssSSS>.<ext>},
 * then releases the lock. A failed exchange leaves the file in the inbox and releases the lock at once.
 * <p>
 * It does what Camel's {@code move} option did, for less: Camel's rename strategy copies the exchange to evaluate
 * the move expression, deletes whatever file already has the target name, and checks (or creates) the target folder,
 * for every file (0.16 ms of CPU per file in a profile of the intake benchmark). Here a folder is created once per
 * day and format, the move is a hard link under the archive name and the removal of the inbox name ({@code Files.move}
 * where hard links are refused), and a target name that is taken already (the same name archived in the same
 * millisecond) gets a suffix instead of deleting the earlier file.
 */
public final class InboxArchive extends GenericFileProcessStrategySupport<File> {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmssSSS");
    private final Path archive;
    /** Folders this instance created or found (day and format); one gone meanwhile is created again on the next move. */
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();
    /** Whether the archive takes hard links from the inbox (false after the first refusal: then every file is moved). */
    private volatile boolean links = true;

    public InboxArchive(GenericFileExclusiveReadLockStrategy<File> readLock, Path archive) {
        setExclusiveReadLockStrategy(readLock);
        this.archive = archive;
    }

    @Override
    public void commit(GenericFileOperations<File> operations, GenericFileEndpoint<File> endpoint, Exchange exchange,
                       GenericFile<File> file) throws Exception {
        try {
            operations.releaseRetrievedFileResources(exchange);
            archive(Path.of(file.getAbsoluteFilePath()), file.getRelativeFilePath(), LocalDateTime.now());
        } finally {
            // must release the lock last: another instance that lists the file meanwhile finds it locked, then gone
            if (exclusiveReadLockStrategy != null) {
                exclusiveReadLockStrategy.releaseExclusiveReadLockOnCommit(operations, file, exchange);
            }
        }
    }

    /** Whether files are still archived by hard link (false once the file system refused one). */
    boolean linking() {
        return links;
    }

    /**
     * Moves {@code source} (inbox path {@code relative}, like {@code sap/x.xml}) into the archive: returns where it went.
     * The name is split at its first dot, as Camel's {@code file:name.noext} and {@code file:ext} do.
     */
    Path archive(Path source, String relative, LocalDateTime now) {
        Path rel = Path.of(relative);
        String name = rel.getFileName().toString();
        int dot = name.indexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        Path folder = archive.resolve(DAY.format(now));
        if (rel.getParent() != null) {
            folder = folder.resolve(rel.getParent().toString());
        }
        String time = TIME.format(now);
        // the usual case: a hard link under the archive name, which the file system refuses if the name is taken (no
        // lookup first, no exception from native code: Files.move looks up both paths, and a free target name costs it
        // an exception; at 16 threads a lookup in the archive folder also waits for the others' moves), then the inbox
        // name removed. A crash in between leaves the file in the inbox too; read again, its documents are repeats.
        // A taken name, a folder not made yet or gone, or a file system without hard links go the careful way below.
        if (links && folders.contains(folder)) {
            Path first = folder.resolve(stem + "-" + time + ext);
            try {
                Files.createLink(first, source);
                if (source.toFile().delete() || !Files.exists(source)) {
                    return first;
                }
                // the inbox name stays (not allowed to remove it): no second name; the careful way says why
                Files.deleteIfExists(first);
            } catch (UnsupportedOperationException | IOException e) {
                if (!(e instanceof FileAlreadyExistsException || e instanceof NoSuchFileException)) {
                    // not here (another file system, no hard links, or not allowed): moves from now on
                    links = false;
                }
            }
        }
        try {
            int suffix = 0;
            int folderMade = 0;
            while (true) {
                Path target = folder.resolve(stem + "-" + time + (suffix == 0 ? "" : "-" + suffix) + ext);
                try {
                    if (folders.add(folder)) {
                        Files.createDirectories(folder);
                    }
                    // no REPLACE_EXISTING: a name taken already is kept, this file gets the next suffix; a move to
                    // another file system copies and deletes
                    Files.move(source, target);
                    return target;
                } catch (FileAlreadyExistsException taken) {
                    if (++suffix > 1000) {
                        throw taken;
                    }
                } catch (NoSuchFileException folderGone) {
                    if (!Files.exists(source) || ++folderMade > 3) {
                        throw folderGone;
                    }
                    // the folder was removed since this instance made it: made again on the next attempt
                    folders.remove(folder);
                }
            }
        } catch (IOException e) {
            throw new GenericFileOperationFailedException("Cannot move " + source + " to the archive folder " + folder + ": " + e, e);
        }
    }
}
