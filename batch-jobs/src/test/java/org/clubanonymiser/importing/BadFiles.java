package org.clubanonymiser.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/** Generated files an import must refuse, each derived from nothing or from a genuine re-saved workbook. */
final class BadFiles {

    private final Path dir;

    BadFiles(Path dir) {
        this.dir = dir;
    }

    private Path target(String name) {
        return dir.resolve(System.nanoTime() + "-" + name);
    }

    Path csvRenamed() {
        return write("members.xlsx", "Member ID;Member number;Last name\n101;M101;Someone\n".getBytes(
                StandardCharsets.UTF_8));
    }

    Path empty() {
        return write("empty.xlsx", new byte[0]);
    }

    Path truncated(Path workbook) {
        byte[] bytes = read(workbook);
        return write("truncated.xlsx", java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    Path withExtension(Path workbook, String extension) {
        return write("members." + extension, read(workbook));
    }

    Path xls() {
        Path target = target("old.xlsx");
        try (HSSFWorkbook workbook = new HSSFWorkbook(); OutputStream out = Files.newOutputStream(target)) {
            workbook.createSheet("Members").createRow(0).createCell(0).setCellValue("Member ID");
            workbook.write(out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    /** An OpenDocument spreadsheet saved under an .xlsx name: a zip, but not an OOXML one. */
    Path ods() {
        return zip("calc.xlsx", Map.of("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                "META-INF/manifest.xml", "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns"
                        + ":manifest:1.0\"/>",
                "content.xml", "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office"
                        + ":1.0\"/>"));
    }

    /** The workbook, password-protected as Excel does it (an OLE2 container around the encrypted package). */
    Path encrypted(Path workbook) {
        Path target = target("protected.xlsx");
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
            Encryptor encryptor = info.getEncryptor();
            encryptor.confirmPassword("secret");
            try (OPCPackage pkg = OPCPackage.open(workbook.toFile()); OutputStream os = encryptor.getDataStream(fs)) {
                pkg.save(os);
            }
            try (OutputStream out = Files.newOutputStream(target)) {
                fs.writeFilesystem(out);
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        return target;
    }

    /** The workbook plus a part that inflates a thousand times: a zip bomb's signature. */
    Path zipBomb(Path workbook) {
        return rezip(workbook, "bomb.xlsx", (name) -> null, Map.of("xl/media/image1.bin", new byte[20 * 1024 * 1024]));
    }

    Path tooManyEntries(Path workbook, int extra) {
        Map<String, byte[]> parts = new java.util.HashMap<>();
        for (int i = 0; i < extra; i++) {
            parts.put("xl/media/part" + i + ".bin", new byte[] { (byte) i });
        }
        return rezip(workbook, "many.xlsx", (name) -> null, parts);
    }

    /** The workbook whose first sheet declares an external entity (read through a URL) and uses it in a cell. */
    Path externalEntity(Path workbook, String entityUrl) {
        return rezip(workbook, "entity.xlsx", name -> {
            if (!name.equals("xl/worksheets/sheet1.xml")) {
                return null;
            }
            return content -> {
                String xml = new String(content, StandardCharsets.UTF_8);
                int root = xml.indexOf("<worksheet");
                String doctype = "<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM \"" + entityUrl + "\">]>";
                String withEntity = xml.substring(0, root) + doctype + xml.substring(root);
                return withEntity.replaceFirst("<c r=\"A1\"[^>]*>.*?</c>",
                        "<c r=\"A1\" t=\"inlineStr\"><is><t>&xxe;</t></is></c>").getBytes(StandardCharsets.UTF_8);
            };
        }, Map.of());
    }

    /** Copies the zip, transforming the parts the function returns a transformation for, adding extra parts. */
    private Path rezip(Path source, String name, java.util.function.Function<String, UnaryOperator<byte[]>> change,
            Map<String, byte[]> extra) {
        Path target = target(name);
        try (ZipFile zip = new ZipFile(source.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                byte[] content;
                try (InputStream in = zip.getInputStream(entry)) {
                    content = in.readAllBytes();
                }
                UnaryOperator<byte[]> transformation = change.apply(entry.getName());
                out.putNextEntry(new ZipEntry(entry.getName()));
                out.write(transformation == null ? content : transformation.apply(content));
                out.closeEntry();
            }
            for (Map.Entry<String, byte[]> part : extra.entrySet()) {
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

    private Path zip(String name, Map<String, String> parts) {
        Path target = target(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, String> part : parts.entrySet()) {
                out.putNextEntry(new ZipEntry(part.getKey()));
                out.write(part.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private Path write(String name, byte[] bytes) {
        Path target = target(name);
        try {
            Files.write(target, bytes);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
