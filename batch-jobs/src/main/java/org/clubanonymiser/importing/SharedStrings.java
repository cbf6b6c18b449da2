package org.clubanonymiser.importing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.apache.poi.util.TempFile;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The workbook's shared-strings table, each entry as the text a spreadsheet shows: the {@code <t>} of the entry, or
 * its rich-text runs' {@code <t>} concatenated; phonetic runs ({@code <rPh>}) and any whitespace between elements
 * (pretty-printed XML, as Gnumeric writes it) are not part of the text, while everything inside a {@code <t>} is,
 * spaces included.
 * <p>
 * Excel and LibreOffice keep every text of a workbook there, so the table grows with the rows (a 1M-row file holds
 * millions of names). It is therefore copied into an MVStore file encrypted with a random key that lives only in this
 * object, created through POI's {@link TempFile} strategy (the product's own swept temp dir): a crash leaves no
 * readable name behind, and {@link #close()} deletes the file. Not thread-safe.
 */
final class SharedStrings implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final File file;

    private final MVStore store;

    private final MVMap<Integer, String> strings;

    private SharedStrings(File file, MVStore store) {
        this.file = file;
        this.store = store;
        this.strings = store == null ? null : store.openMap("strings");
    }

    /** Loads the table of the workbook (none: every lookup is {@code null}). */
    static SharedStrings load(UploadedWorkbooks workbook) throws IOException {
        Optional<String> part = workbook.sharedStringsPart();
        if (part.isEmpty()) {
            return new SharedStrings(null, null);
        }
        File file = TempFile.createTempFile("import-strings-", ".mv");
        MVStore store = null;
        try {
            char[] key = new char[32];
            for (int i = 0; i < key.length; i++) {
                key[i] = (char) ('!' + RANDOM.nextInt(94));
            }
            Files.delete(file.toPath());
            store = new MVStore.Builder().fileName(file.getAbsolutePath()).encryptionKey(key).cacheSize(4).open();
            SharedStrings table = new SharedStrings(file, store);
            read(workbook, part.get(), (index, text) -> {
                table.strings.put(index, text);
                return true;
            });
            store.commit();
            return table;
        }
        catch (IOException | RuntimeException ex) {
            if (store != null) {
                store.closeImmediately();
            }
            Files.deleteIfExists(file.toPath());
            throw ex;
        }
    }

    /**
     * Only the entries of these indexes, read by streaming the table no further than the last of them and kept in
     * memory: for a few cells (a header row, the identity sheet), without copying a whole table.
     */
    static Map<Integer, String> lookup(UploadedWorkbooks workbook, Set<Integer> indexes) throws IOException {
        Map<Integer, String> found = new HashMap<>();
        Optional<String> part = workbook.sharedStringsPart();
        if (part.isEmpty() || indexes.isEmpty()) {
            return found;
        }
        int last = indexes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        read(workbook, part.get(), (index, text) -> {
            if (indexes.contains(index)) {
                found.put(index, text);
            }
            return index < last;
        });
        return found;
    }

    /** The entry's text, or {@code null} when the table has no such entry. */
    String get(int index) {
        return strings == null ? null : strings.get(index);
    }

    private interface Entries {

        /** @return whether to go on reading */
        boolean accept(int index, String text);
    }

    private static void read(UploadedWorkbooks workbook, String part, Entries entries) throws IOException {
        XMLStreamReader reader = workbook.parse(part);
        try {
            int index = 0;
            StringBuilder text = null;
            int phonetic = 0;
            boolean inText = false;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "si" -> text = new StringBuilder();
                        case "rPh" -> phonetic++;
                        case "t" -> inText = text != null && phonetic == 0;
                        default -> {
                        }
                    }
                }
                else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "si" -> {
                            if (!entries.accept(index++, text.toString())) {
                                return;
                            }
                            text = null;
                        }
                        case "rPh" -> phonetic--;
                        case "t" -> inText = false;
                        default -> {
                        }
                    }
                }
                else if (inText && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE)) {
                    text.append(reader.getText());
                }
            }
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("The shared strings cannot be parsed", ex);
        }
        finally {
            UploadedWorkbooks.close(reader);
        }
    }

    @Override
    public void close() throws IOException {
        if (store != null) {
            store.closeImmediately();
            Files.deleteIfExists(file.toPath());
        }
    }
}
