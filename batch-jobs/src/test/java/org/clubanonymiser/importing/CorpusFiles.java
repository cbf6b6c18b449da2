package org.clubanonymiser.importing;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * The hostile and broken files of the bad-input corpus that {@link BadFiles} does not already make, generated at test
 * time from nothing or from a genuine re-saved workbook: container-level damage (truncation, corrupt XML mid-sheet,
 * duplicate entries, bombs), XML attacks (billion laughs, external entities and DTDs), and a sheet filled to Excel's
 * last row, written streaming.
 */
final class CorpusFiles {

    static final String SHEET1 = "xl/worksheets/sheet1.xml";

    static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private final Path dir;

    CorpusFiles(Path dir) {
        this.dir = dir;
    }

    Path target(String name) {
        return dir.resolve(System.nanoTime() + "-" + name);
    }

    /** Plain text, UTF-16 with a byte-order mark, as Excel's "Unicode text" save produces. */
    Path utf16Text() {
        return write("members.xlsx", "Member ID\tMember number\n101\tM101\n".getBytes(StandardCharsets.UTF_16));
    }

    /** An OpenDocument spreadsheet as LibreOffice writes it: the mimetype entry first and stored, then the parts. */
    Path ods() {
        Path target = target("calc.xlsx");
        byte[] mimetype = "application/vnd.oasis.opendocument.spreadsheet".getBytes(StandardCharsets.US_ASCII);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            ZipEntry stored = new ZipEntry("mimetype");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(mimetype.length);
            CRC32 crc = new CRC32();
            crc.update(mimetype);
            stored.setCrc(crc.getValue());
            out.putNextEntry(stored);
            out.write(mimetype);
            out.closeEntry();
            String table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
            String text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
            entry(out, "content.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content"
                    + " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"" + table
                    + "\" xmlns:text=\"" + text + "\" office:version=\"1.3\"><office:body><office:spreadsheet>"
                    + "<table:table table:name=\"Members\"><table:table-row><table:table-cell><text:p>Member ID"
                    + "</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>"
                    + "</office:body></office:document-content>");
            entry(out, "META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest"
                    + " xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
                    + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis"
                    + ".opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\""
                    + " manifest:media-type=\"text/xml\"/></manifest:manifest>");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    /** The first {@code percent}% of the workbook's bytes: its central directory is gone or cut. */
    Path truncated(Path workbook, int percent) {
        byte[] bytes = read(workbook);
        return write("truncated-" + percent + ".xlsx", Arrays.copyOf(bytes, (int) ((long) bytes.length * percent / 100)));
    }

    /**
     * The workbook whose Members sheet XML breaks in its middle (an element cut off, garbage after it), in a zip that
     * is itself perfectly valid: the rows before the damage are readable, the file as a whole is not.
     */
    Path corruptSheetMidFile(Path workbook) {
        return corruptSheetAfterRow(workbook, 3);
    }

    /** As {@link #corruptSheetMidFile}, the damage right after this row. */
    Path corruptSheetAfterRow(Path workbook, int row) {
        return rezip(workbook, "corrupt-sheet.xlsx", Map.of(SHEET1, content -> {
            String xml = utf8(content);
            int next = xml.indexOf("<row r=\"" + (row + 1) + "\"");
            if (next < 0) {
                throw new IllegalStateException("the workbook has no row " + (row + 1));
            }
            return (xml.substring(0, next) + "<row r=\"" + (row + 1) + "\"><c r=\"A" + (row + 1)
                    + "\" t=\"s\"><v>1</v></c <<\u0001garbage" + xml.substring(next)).getBytes(StandardCharsets.UTF_8);
        }), Map.of());
    }

    /**
     * The workbook plus a part whose inflated size exceeds {@code inflatedBytes} while compressing only about 50
     * times (under the ratio guard): the absolute-size guard alone must catch it. Written streaming.
     */
    Path absoluteSizeBomb(Path workbook, long inflatedBytes) {
        Path target = target("big-part.xlsx");
        try (ZipFile zip = new ZipFile(workbook.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            copyEntries(zip, out, Map.of());
            out.setLevel(Deflater.BEST_SPEED);
            out.putNextEntry(new ZipEntry("xl/media/image1.bin"));
            // Zeros sprinkled with random bytes: compressible, but far less than zeros alone.
            java.util.Random random = new java.util.Random(42);
            byte[] block = new byte[64 * 1024];
            for (long written = 0; written <= inflatedBytes; written += block.length) {
                Arrays.fill(block, (byte) 0);
                for (int i = 0; i < 400; i++) {
                    block[random.nextInt(block.length)] = (byte) random.nextInt();
                }
                out.write(block);
            }
            out.closeEntry();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    /** Entity expansion (the "billion laughs"): ten levels of ten references, declared in the shared strings. */
    Path billionLaughs(Path workbook) {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE sst [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10))
                .append("\">");
        }
        dtd.append("]>");
        return rezip(workbook, "laughs.xlsx", Map.of("xl/sharedStrings.xml", content -> {
            String xml = utf8(content);
            int root = xml.indexOf("<sst");
            String withDtd = xml.substring(0, root) + dtd + xml.substring(root);
            return withDtd.replaceFirst("<t>[^<]*</t>", "<t>&lol9;</t>").getBytes(StandardCharsets.UTF_8);
        }), Map.of());
    }

    /** The document's custom properties part refers to an external DTD at this URL (a parameter-entity fetch). */
    Path externalDtd(Path workbook, String dtdUrl) {
        return rezip(workbook, "external-dtd.xlsx", Map.of("docProps/custom.xml", content -> {
            String xml = utf8(content);
            int root = xml.indexOf("<Properties");
            String doctype = "<!DOCTYPE Properties SYSTEM \"" + dtdUrl + "\">";
            return (xml.substring(0, root) + doctype + xml.substring(root)).getBytes(StandardCharsets.UTF_8);
        }), Map.of());
    }

    /**
     * Two entries named {@value #SHEET1}: the genuine sheet, then a second copy whose rows stop after row 2. Readers
     * that take the first entry and readers that take the last see different files (a parser-differential attack).
     * Built with a placeholder name of the same length, patched in the local header and the central directory.
     */
    Path duplicateEntries(Path workbook) {
        String placeholder = "xl/worksheets/sheetX.xml";
        Path built = rezip(workbook, "dup-building.xlsx", Map.of(), Map.of(placeholder, firstRowsOnly(sheet(workbook))));
        byte[] bytes = read(built);
        byte[] from = placeholder.getBytes(StandardCharsets.US_ASCII);
        byte[] to = SHEET1.getBytes(StandardCharsets.US_ASCII);
        int patched = 0;
        for (int i = 0; i <= bytes.length - from.length; i++) {
            if (Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
                patched++;
            }
        }
        if (patched != 2) {
            throw new IllegalStateException("expected the name in the local header and the central directory");
        }
        return write("duplicate-entries.xlsx", bytes);
    }

    private static byte[] firstRowsOnly(byte[] sheet) {
        String xml = utf8(sheet);
        int row3 = xml.indexOf("<row r=\"3\"");
        int end = xml.indexOf("</sheetData>");
        return (row3 < 0 ? xml : xml.substring(0, row3) + xml.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sheet(Path workbook) {
        try (ZipFile zip = new ZipFile(workbook.toFile()); InputStream in = zip.getInputStream(zip.getEntry(SHEET1))) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The workbook with its Members sheet replaced by one of {@code 1 + blankRows + 1} rows, streamed to disk: the
     * header, {@code blankRows} rows of styled blank cells (what formatting whole columns leaves), and a last data row
     * with these values (inline strings and numbers). Excel's last row is 1,048,576.
     */
    Path filledSheet(Path workbook, int blankRows, Object[] lastRow) {
        Path target = target("filled.xlsx");
        try (ZipFile zip = new ZipFile(workbook.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            copyEntries(zip, out, Map.of(SHEET1, content -> null));
            out.putNextEntry(new ZipEntry(SHEET1));
            Writer xml = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            xml.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"" + MAIN
                    + "\"><sheetData><row r=\"1\">");
            for (int col = 0; col < MembersSheet.HEADERS.size(); col++) {
                xml.write(inline(ref(col, 1), MembersSheet.HEADERS.get(col)));
            }
            xml.write("</row>");
            long last = blankRows + 2L;
            for (long r = 2; r < last; r++) {
                xml.write("<row r=\"" + r + "\"><c r=\"A" + r + "\" s=\"1\"/><c r=\"H" + r + "\" s=\"1\"/></row>");
            }
            xml.write("<row r=\"" + last + "\">");
            for (int col = 0; col < lastRow.length; col++) {
                Object value = lastRow[col];
                if (value instanceof Number number) {
                    xml.write("<c r=\"" + ref(col, last) + "\"><v>" + number + "</v></c>");
                }
                else if (value != null) {
                    xml.write(inline(ref(col, last), value.toString()));
                }
            }
            xml.write("</row></sheetData></worksheet>");
            xml.flush();
            out.closeEntry();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private static String ref(int col, long row) {
        return (char) ('A' + col) + Long.toString(row);
    }

    private static String inline(String ref, String text) {
        return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text.replace("&", "&amp;").replace("<", "&lt;")
                + "</t></is></c>";
    }

    /** Copies the zip, transforming the named parts (a transformation returning null drops the part), adding parts. */
    Path rezip(Path source, String name, Map<String, UnaryOperator<byte[]>> changes, Map<String, byte[]> extra) {
        Path target = target(name);
        try (ZipFile zip = new ZipFile(source.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            copyEntries(zip, out, changes);
            for (Map.Entry<String, byte[]> part : new LinkedHashMap<>(extra).entrySet()) {
                out.putNextEntry(new ZipEntry(part.getKey()));
                out.write(part.getValue());
                out.closeEntry();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private static void copyEntries(ZipFile zip, ZipOutputStream out, Map<String, UnaryOperator<byte[]>> changes)
            throws IOException {
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            byte[] content;
            try (InputStream in = zip.getInputStream(entry)) {
                content = in.readAllBytes();
            }
            UnaryOperator<byte[]> change = changes.get(entry.getName());
            byte[] changed = change == null ? content : change.apply(content);
            if (changed == null) {
                continue;
            }
            out.putNextEntry(new ZipEntry(entry.getName()));
            out.write(changed);
            out.closeEntry();
        }
    }

    private static void entry(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }

    private Path write(String name, byte[] bytes) {
        Path target = target(name);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(bytes);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String utf8(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }
}
