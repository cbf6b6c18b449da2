package org.clubanonymiser.importing;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Decides whether an uploaded file is a genuine, safe XLSX before any spreadsheet library parses it: the first half
 * of the import's gate. Checks, in order, each refusal ending the inspection:
 * <ol>
 * <li>the name ends with {@code .xlsx}, the file is not empty ({@code NOT_XLSX}) nor larger than
 * {@code anonymiser.import.max-file-size} ({@code UNSAFE_FILE});</li>
 * <li>it is a zip: an OLE2 container (an {@code .xls}, or an encrypted / password-protected workbook), a CSV or any
 * other content is {@code NOT_XLSX}, as is a zip whose central directory cannot be read (truncated, corrupt);</li>
 * <li>the zip holds at most {@code zip.max-entries} entries ({@code UNSAFE_FILE}) and holds
 * {@code [Content_Types].xml} and {@code xl/workbook.xml}, the parts of an Excel workbook (an ODS does not:
 * {@code NOT_XLSX});</li>
 * <li>every entry inflates to at most {@code zip.max-entry-size} bytes with a compressed/inflated ratio of at least
 * {@code zip.min-inflate-ratio}, measured while inflating, not taken from the (forgeable) headers: the zip-bomb guard
 * ({@code UNSAFE_FILE}); an entry that cannot be inflated is {@code NOT_XLSX};</li>
 * <li>no two entries share a name (part names compare case-insensitively in OPC): zip readers differ on which copy
 * they take, so such a file means different things to different readers ({@code UNSAFE_FILE});</li>
 * <li>no XML part declares a DOCTYPE: OOXML never needs one, and DTDs are how entity expansion and external entities
 * (file or network access) get in ({@code UNSAFE_FILE}). Every XML part is read whole by a StAX parser that supports
 * neither DTDs nor external entities, so the check itself resolves nothing;</li>
 * <li>every XML part is well-formed to its end ({@code NOT_XLSX}): the rows are streamed chunk by chunk later, and a
 * sheet that breaks half-way would otherwise fail the import after its first chunks were anonymised.</li>
 * </ol>
 * Stateless and thread-safe; reads the file, never writes anything.
 */
class UploadedFileInspector {

    private static final byte[] ZIP_MAGIC = { 0x50, 0x4b, 0x03, 0x04 };

    private static final byte[] OLE2_MAGIC = HexFormat.of().parseHex("d0cf11e0a1b11ae1");

    /** Small parts compress badly or very well without meaning anything: POI's grace size, below which no ratio check. */
    private static final long RATIO_GRACE_BYTES = 100 * 1024;

    private final long maxFileSize;

    private final int maxEntries;

    private final long maxEntrySize;

    private final double minInflateRatio;

    private final XMLInputFactory xmlParser;

    UploadedFileInspector(ImportProperties properties) {
        this.maxFileSize = properties.maxFileSize().toBytes();
        this.maxEntries = properties.zip().maxEntries();
        this.maxEntrySize = properties.zip().maxEntrySize().toBytes();
        this.minInflateRatio = properties.zip().minInflateRatio();
        this.xmlParser = XMLInputFactory.newFactory();
        xmlParser.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xmlParser.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        xmlParser.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        xmlParser.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("External entities are not resolved");
        });
    }

    void inspect(Path file) throws ImportRefusedException, IOException {
        String name = file.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".xlsx")) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX, "the file name does not end with .xlsx");
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX, "the file is empty");
        }
        if (size > maxFileSize) {
            throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE,
                    "the file is larger than the limit of " + maxFileSize + " bytes");
        }
        checkMagic(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > maxEntries) {
                throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE,
                        "the zip holds " + zip.size() + " entries, more than the limit of " + maxEntries);
            }
            if (zip.getEntry("[Content_Types].xml") == null || zip.getEntry("xl/workbook.xml") == null) {
                throw new ImportRefusedException(ImportRefusal.NOT_XLSX,
                        "a zip file, but not an Excel workbook (an OpenDocument or other format saved as .xlsx?)");
            }
            Set<String> names = new HashSet<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!names.add(entry.getName().toLowerCase(Locale.ROOT))) {
                    throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE,
                            "the zip holds two parts named " + entry.getName());
                }
                inspectEntry(zip, entry);
            }
        }
        catch (ZipException ex) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX, "corrupt or truncated zip", ex);
        }
    }

    private static void checkMagic(Path file) throws ImportRefusedException, IOException {
        byte[] head = new byte[8];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        }
        if (read == 8 && Arrays.equals(head, OLE2_MAGIC)) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX,
                    "an old .xls workbook, or an encrypted (password-protected) workbook: save it as a plain .xlsx");
        }
        if (read < 4 || !Arrays.equals(Arrays.copyOf(head, 4), ZIP_MAGIC)) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX,
                    "not a zip container (a CSV, a text or another format renamed .xlsx?)");
        }
    }

    private void inspectEntry(ZipFile zip, ZipEntry entry) throws ImportRefusedException {
        String part = entry.getName();
        if (entry.getSize() > maxEntrySize) {
            throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE,
                    "part " + part + " declares " + entry.getSize() + " bytes, more than the limit of " + maxEntrySize);
        }
        if (entry.isDirectory()) {
            return;
        }
        try (MeasuringStream in = new MeasuringStream(zip.getInputStream(entry), part, entry.getCompressedSize())) {
            if (isXml(part)) {
                // Excel writes legacy VML drawings with unclosed tags (POI patches them when reading): only their
                // prolog must be sound.
                checkXml(in, part, !part.toLowerCase(Locale.ROOT).endsWith(".vml"));
            }
            else {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }
        catch (UnsafeEntryException ex) {
            throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE, ex.getMessage());
        }
        catch (IOException ex) {
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX, "part " + part + " cannot be inflated", ex);
        }
    }

    private static boolean isXml(String part) {
        String lower = part.toLowerCase(Locale.ROOT);
        return lower.endsWith(".xml") || lower.endsWith(".rels") || lower.endsWith(".vml");
    }

    /**
     * Reads the part, whole when {@code wellFormed} or up to its root element. A DTD can only come before the root
     * element: what the parser rejects up to there may hide one and is unsafe; what it rejects after is a damaged
     * workbook.
     */
    private void checkXml(InputStream in, String part, boolean wellFormed) throws ImportRefusedException, IOException {
        XMLStreamReader reader = null;
        boolean rootSeen = false;
        try {
            reader = xmlParser.createXMLStreamReader(new NonClosingStream(in));
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE,
                            "part " + part + " declares a DOCTYPE (entities are not allowed in a workbook)");
                }
                if (event == XMLStreamConstants.START_ELEMENT) {
                    rootSeen = true;
                    if (!wellFormed) {
                        break;
                    }
                }
            }
            // Whatever the parser left (after the root element, or all of a VML part) is inflated and measured too.
            in.transferTo(OutputStream.nullOutputStream());
        }
        catch (XMLStreamException ex) {
            if (ex.getNestedException() instanceof IOException io) {
                // The zip itself failed (or a limit was hit) while the parser was reading.
                throw io;
            }
            if (!rootSeen) {
                // A prolog the parser rejects may hide a DOCTYPE it refused to read: never let it through.
                throw new ImportRefusedException(ImportRefusal.UNSAFE_FILE,
                        "part " + part + " is not well-formed XML or declares entities", ex);
            }
            // An undeclared entity reference lands here too: without a DTD, it is not well-formed.
            String where = ex.getLocation() == null ? ""
                    : " at line " + ex.getLocation().getLineNumber() + ", column " + ex.getLocation().getColumnNumber();
            throw new ImportRefusedException(ImportRefusal.NOT_XLSX,
                    "part " + part + " is damaged (not well-formed XML" + where + ")", ex);
        }
        finally {
            if (reader != null) {
                try {
                    reader.close();
                }
                catch (XMLStreamException ex) {
                    // Nothing was opened beyond the stream we own.
                }
            }
        }
    }

    private static final class UnsafeEntryException extends IOException {

        UnsafeEntryException(String message) {
            super(message);
        }
    }

    /** Counts inflated bytes as they come and stops at the first one beyond a limit. */
    private final class MeasuringStream extends FilterInputStream {

        private final String part;

        private final long compressedSize;

        private long inflated;

        MeasuringStream(InputStream in, String part, long compressedSize) {
            super(in);
            this.part = part;
            this.compressedSize = compressedSize;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws UnsafeEntryException {
            inflated += n;
            if (inflated > maxEntrySize) {
                throw new UnsafeEntryException(
                        "part " + part + " inflates to more than the limit of " + maxEntrySize + " bytes");
            }
            if (inflated > RATIO_GRACE_BYTES && compressedSize >= 0
                    && (double) compressedSize / inflated < minInflateRatio) {
                throw new UnsafeEntryException("part " + part + " inflates more than " + Math.round(1 / minInflateRatio)
                        + " times its compressed size (zip bomb)");
            }
        }
    }

    /** The prolog parser must not close the entry stream: the rest of the entry is still to be measured. */
    private static final class NonClosingStream extends FilterInputStream {

        NonClosingStream(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
