package org.clubanonymiser.export;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.util.TempFile;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.openxmlformats.schemas.officeDocument.x2006.customProperties.CTProperty;

import org.clubanonymiser.support.workbook.MembersSheet;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading exported files back in tests (small files: the in-memory XSSF model is fine). */
final class ExportWorkbooks {

    private ExportWorkbooks() {
    }

    record ZipContent(List<String> entryNames, byte[] workbook) {
    }

    static ZipContent unzip(Path zip) {
        List<String> names = new ArrayList<>();
        byte[] workbook = null;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
                workbook = in.readAllBytes();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new ZipContent(names, workbook);
    }

    static XSSFWorkbook open(byte[] bytes) {
        try {
            return new XSSFWorkbook(new ByteArrayInputStream(bytes));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static XSSFWorkbook open(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new XSSFWorkbook(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Every cell of the Members sheet as a comparable value: numbers, strings, ISO dates (by cell type). */
    static List<List<Object>> membersValues(XSSFWorkbook workbook) {
        Sheet sheet = workbook.getSheet(MembersSheet.SHEET_NAME);
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : sheet) {
            List<Object> values = new ArrayList<>();
            for (int column = 0; column < MembersSheet.HEADERS.size(); column++) {
                values.add(value(row.getCell(column)));
            }
            rows.add(values);
        }
        return rows;
    }

    static Object value(Cell cell) {
        if (cell == null || cell.getCellType() == CellType.BLANK) {
            return null;
        }
        return switch (cell.getCellType()) {
            case NUMERIC -> DateUtil.isCellDateFormatted(cell) ? cell.getLocalDateTimeCellValue().toLocalDate()
                    : (Object) cell.getNumericCellValue();
            case STRING -> cell.getStringCellValue();
            default -> "<" + cell.getCellType() + ":" + new DataFormatter().formatCellValue(cell) + ">";
        };
    }

    static Map<String, String> customProperties(XSSFWorkbook workbook) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (CTProperty property : workbook.getProperties().getCustomProperties().getUnderlyingProperties()
            .getPropertyList()) {
            String value = property.isSetLpwstr() ? property.getLpwstr()
                    : property.isSetLpstr() ? property.getLpstr()
                    : property.isSetI4() ? Integer.toString(property.getI4())
                    : property.isSetR8() ? Double.toString(property.getR8()) : null;
            properties.put(property.getName(), value);
        }
        return properties;
    }

    static Map<String, String> identitySheet(XSSFWorkbook workbook) {
        Map<String, String> properties = new LinkedHashMap<>();
        Sheet sheet = workbook.getSheet(MembersSheet.IDENTITY_SHEET_NAME);
        if (sheet == null) {
            return properties;
        }
        DataFormatter formatter = new DataFormatter();
        for (Row row : sheet) {
            properties.put(formatter.formatCellValue(row.getCell(0)), formatter.formatCellValue(row.getCell(1)));
        }
        return properties;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String sha256(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * No file left in the product's temp dir (its lock files excepted), nor in the directory POI writes its SXSSF
     * temp files to (set JVM-wide by the last application context started).
     */
    static void assertNoTempFiles(Path storageRoot) {
        assertThat(regularFiles(storageRoot.resolve("tmp"))).as("files left in the storage's tmp dir")
            .allMatch(p -> p.getFileName().toString().equals(".lock"));
        try {
            Path probe = TempFile.createTempFile("probe", ".tmp").toPath();
            Path poiDir = probe.getParent();
            Files.delete(probe);
            assertThat(regularFiles(poiDir)).as("POI temp files left in " + poiDir)
                .allMatch(p -> p.getFileName().toString().equals(".lock"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static List<Path> regularFiles(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
