package org.clubanonymiser.importing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.xmlbeans.XmlException;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.openxmlformats.schemas.officeDocument.x2006.customProperties.CTProperty;

/**
 * Reads what the gate needs from an inspected workbook, in bounded memory: the export identity (custom document
 * properties first, then the very hidden {@link MembersSheet#IDENTITY_SHEET_NAME} sheet, either surviving a re-save
 * being enough) and the header row of the {@link MembersSheet#SHEET_NAME} sheet. Stateless.
 */
class UploadedWorkbookInspector {

    /**
     * The export identity the file carries.
     *
     * @throws ImportRefusedException {@code UNKNOWN_EXPORT} when neither source holds a complete, well-formed one
     */
    ExportIdentity identity(Path file) throws ImportRefusedException, IOException {
        Optional<ExportIdentity> fromProperties = parse(customProperties(file));
        if (fromProperties.isPresent()) {
            return fromProperties.get();
        }
        return parse(identitySheet(file)).orElseThrow(() -> new ImportRefusedException(ImportRefusal.UNKNOWN_EXPORT,
                "no export identity in the document properties nor in the " + MembersSheet.IDENTITY_SHEET_NAME
                        + " sheet"));
    }

    /** @throws ImportRefusedException {@code LAYOUT_CHANGED} unless row 1 of the Members sheet is exactly the export's */
    void checkLayout(Path file) throws ImportRefusedException, IOException {
        try (Workbook workbook = UploadedWorkbooks.open(file)) {
            int index = UploadedWorkbooks.sheetIndex(workbook, MembersSheet.SHEET_NAME);
            if (index != 0) {
                throw new ImportRefusedException(ImportRefusal.LAYOUT_CHANGED, index < 0
                        ? "no sheet named " + MembersSheet.SHEET_NAME
                        : "the " + MembersSheet.SHEET_NAME + " sheet is no longer the first sheet");
            }
            List<String> headers = headerRow(workbook.getSheetAt(0));
            if (!headers.equals(MembersSheet.HEADERS)) {
                throw new ImportRefusedException(ImportRefusal.LAYOUT_CHANGED, difference(headers));
            }
        }
    }

    /**
     * Where the header row first differs, told by the expected header only: what the file holds there could be
     * anything, a name included, and must not reach a log or an exit description.
     */
    static String difference(List<String> headers) {
        List<String> expected = MembersSheet.HEADERS;
        if (headers.isEmpty()) {
            return "row 1 is not the header row " + expected;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (i >= headers.size() || !expected.get(i).equals(headers.get(i))) {
                return "column " + (char) ('A' + i) + " is not headed \"" + expected.get(i) + "\"";
            }
        }
        return "columns were added after column " + (char) ('A' + expected.size() - 1);
    }

    /** Row 1's non-blank-terminated cells, trimmed; empty when row 1 is missing (not the first row stored). */
    private static List<String> headerRow(Sheet sheet) {
        Iterator<Row> rows = sheet.rowIterator();
        if (!rows.hasNext()) {
            return List.of();
        }
        Row first = rows.next();
        if (first.getRowNum() != 0) {
            return List.of();
        }
        List<String> headers = new ArrayList<>();
        for (int col = 0; col < Math.max(first.getLastCellNum(), 0); col++) {
            String value = UploadedWorkbooks.text(first.getCell(col), false);
            headers.add(value == null ? "" : value.trim());
        }
        while (!headers.isEmpty() && headers.get(headers.size() - 1).isEmpty()) {
            headers.remove(headers.size() - 1);
        }
        return headers;
    }

    private static Optional<ExportIdentity> parse(Map<String, String> values) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExportIdentity.fromProperties(values));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    private static Map<String, String> customProperties(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            POIXMLProperties.CustomProperties custom = new POIXMLProperties(pkg).getCustomProperties();
            for (CTProperty property : custom.getUnderlyingProperties().getPropertyArray()) {
                String name = property.getName();
                String value = value(property);
                if (name != null && name.startsWith(ExportIdentity.PREFIX) && value != null) {
                    values.put(name, value);
                }
            }
        }
        catch (OpenXML4JException | XmlException | POIXMLException ex) {
            // Unreadable properties are as good as none: the hidden sheet may still carry the identity.
            return Map.of();
        }
        return values;
    }

    private static String value(CTProperty property) {
        if (property.isSetLpwstr()) {
            return property.getLpwstr();
        }
        if (property.isSetLpstr()) {
            return property.getLpstr();
        }
        if (property.isSetBstr()) {
            return property.getBstr();
        }
        if (property.isSetI4()) {
            return Integer.toString(property.getI4());
        }
        if (property.isSetI8()) {
            return Long.toString(property.getI8());
        }
        if (property.isSetInt()) {
            return Integer.toString(property.getInt());
        }
        if (property.isSetR8()) {
            return BigDecimal.valueOf(property.getR8()).stripTrailingZeros().toPlainString();
        }
        if (property.isSetDecimal()) {
            return property.getDecimal().stripTrailingZeros().toPlainString();
        }
        return null;
    }

    private static Map<String, String> identitySheet(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (Workbook workbook = UploadedWorkbooks.open(file)) {
            int index = UploadedWorkbooks.sheetIndex(workbook, MembersSheet.IDENTITY_SHEET_NAME);
            if (index < 0) {
                return Map.of();
            }
            for (Row row : workbook.getSheetAt(index)) {
                String key = UploadedWorkbooks.text(row.getCell(0), false);
                String value = UploadedWorkbooks.text(row.getCell(1), false);
                if (key != null && key.startsWith(ExportIdentity.PREFIX) && value != null) {
                    values.put(key.trim(), value.trim());
                }
                if (values.size() > 100) {
                    // An identity has a handful of keys; a long sheet under that name is not ours.
                    return Map.of();
                }
            }
        }
        return values;
    }
}
