package io.zatcagateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox folder's archive move (the route's part is in IntakeRoutesTest): where a file goes, that a name taken
 * already never costs the earlier file, and that a day folder removed meanwhile is made again.
 */
class InboxArchiveTest {
    static final LocalDateTime AT = LocalDateTime.of(2026, 12, 6, 15, 30, 12, 345_000_000);

    @TempDir
    Path dir;

    private Path inboxFile(String relative, String content) throws Exception {
        Path f = dir.resolve("inbox").resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    private InboxArchive archive() {
        return new InboxArchive(null, dir.resolve("archive"));
    }

    @Test
    void movesTheFileToItsDayAndFormatFolderWithTheTime() throws Exception {
        Path f = inboxFile("sap/INV-1.xml", "one");
        Path to = archive().archive(f, "sap/INV-1.xml", AT);
        assertEquals(dir.resolve("archive/2026-12-06/sap/INV-1-153012345.xml"), to);
        assertEquals("one", Files.readString(to));
        assertFalse(Files.exists(f));
    }

    @Test
    void laterFilesOfTheFolderEndWithOneNameInTheArchiveAndNoneInTheInbox() throws Exception {
        InboxArchive a = archive();
        a.archive(inboxFile("sap/INV-1.xml", "one"), "sap/INV-1.xml", AT);
        for (int i = 2; i <= 5; i++) {
            Path f = inboxFile("sap/INV-" + i + ".xml", "doc " + i);
            Path to = a.archive(f, "sap/INV-" + i + ".xml", AT);
            assertEquals(dir.resolve("archive/2026-12-06/sap/INV-" + i + "-153012345.xml"), to);
            assertEquals("doc " + i, Files.readString(to));
            assertFalse(Files.exists(f));
            assertEquals(1, ((Number) Files.getAttribute(to, "unix:nlink")).intValue(), "one name left: " + to);
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve("inbox/sap"))) {
            assertEquals(0, s.count());
        }
        assertTrue(a.linking(), "archived by hard link, not moved");
    }

    @Test
    void splitsTheNameAtItsFirstDotAsCamelsNoextAndExtDo() throws Exception {
        InboxArchive a = archive();
        assertEquals("export-153012345.2026.xml", a.archive(inboxFile("oracle/export.2026.xml", "x"), "oracle/export.2026.xml", AT)
                .getFileName().toString());
        assertEquals("README-153012345", a.archive(inboxFile("ubl/README", "x"), "ubl/README", AT).getFileName().toString());
    }

    @Test
    void aTakenNameGetsASuffixAndTheEarlierFileStays() throws Exception {
        InboxArchive a = archive();
        Path first = a.archive(inboxFile("sap/INV-1.xml", "first"), "sap/INV-1.xml", AT);
        Path second = a.archive(inboxFile("sap/INV-1.xml", "second"), "sap/INV-1.xml", AT);
        Path third = a.archive(inboxFile("sap/INV-1.xml", "third"), "sap/INV-1.xml", AT);
        assertEquals("first", Files.readString(first));
        assertEquals(dir.resolve("archive/2026-12-06/sap/INV-1-153012345-1.xml"), second);
        assertEquals("second", Files.readString(second));
        assertEquals(dir.resolve("archive/2026-12-06/sap/INV-1-153012345-2.xml"), third);
        assertEquals("third", Files.readString(third));
    }

    @Test
    void aFolderRemovedMeanwhileIsMadeAgain() throws Exception {
        InboxArchive a = archive();
        Path first = a.archive(inboxFile("sap/INV-1.xml", "first"), "sap/INV-1.xml", AT);
        Files.delete(first);
        Files.delete(first.getParent());
        Files.delete(first.getParent().getParent());
        Path second = a.archive(inboxFile("sap/INV-2.xml", "second"), "sap/INV-2.xml", AT);
        assertEquals(dir.resolve("archive/2026-12-06/sap/INV-2-153012345.xml"), second);
        assertEquals("second", Files.readString(second));
        // and the folder known from then on
        Path third = a.archive(inboxFile("sap/INV-3.xml", "third"), "sap/INV-3.xml", AT);
        assertEquals("third", Files.readString(third));
    }

    @Test
    void aFileThatIsGoneFailsWithBothPathsNamed() throws Exception {
        Path gone = dir.resolve("inbox/sap/gone.xml");
        GenericFileOperationFailedException e = assertThrows(GenericFileOperationFailedException.class,
                () -> archive().archive(gone, "sap/gone.xml", AT));
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("archive/2026-12-06/sap").toString()), e.getMessage());
    }
}
