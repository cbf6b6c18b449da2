package org.clubanonymiser.importing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.poi.ooxml.POIXMLException;
import org.apache.poi.ooxml.POIXMLProperties;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
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
        try (UploadedWorkbooks workbook = UploadedWorkbooks.open(file)) {
            int index = workbook.sheetIndex(MembersSheet.SHEET_NAME);
            if (index != 0) {
                throw new ImportRefusedException(ImportRefusal.LAYOUT_CHANGED, index < 0
                        ? "no sheet named " + MembersSheet.SHEET_NAME
                        : "the " + MembersSheet.SHEET_NAME + " sheet is no longer the first sheet");
            }
            List<String> headers = headerRow(workbook);
            if (!headers.equals(MembersSheet.HEADERS)) {
                throw new ImportRefusedException(ImportRefusal.LAYOUT_CHANGED, difference(headers));
            }
        }
    }

    /**
     * Hidden rows (hidden, collapsed, or filtered out by an auto-filter: all stored as hidden) that hold a value are a
     * decision the product cannot read: the admin may have hidden the members to keep. Call after
     * {@link #checkLayout}.
     *
     * @throws ImportRefusedException {@code HIDDEN_ROWS} when the Members sheet has any
     */
    void checkNoHiddenRows(Path file) throws ImportRefusedException, IOException {
        long hidden = 0;
        try (UploadedWorkbooks workbook = UploadedWorkbooks.open(file);
                SheetRows rows = new SheetRows(workbook, membersPart(workbook))) {
            for (SheetRows.RawRow row = rows.next(); row != null; row = rows.next()) {
                if (row.hidden() && row.cells().stream().anyMatch(cell -> cell.value() != null
                        && !cell.value().isBlank())) {
                    hidden++;
                }
            }
        }
        if (hidden > 0) {
            throw new ImportRefusedException(ImportRefusal.HIDDEN_ROWS, "unhide or delete the " + hidden
                    + " hidden row" + (hidden == 1 ? "" : "s") + " (hidden, collapsed or filtered out), then save again");
        }
    }

    private static String membersPart(UploadedWorkbooks workbook) throws ImportRefusedException {
        return workbook.sheetPart(MembersSheet.SHEET_NAME).orElseThrow(() -> new ImportRefusedException(
                ImportRefusal.LAYOUT_CHANGED, "no sheet named " + MembersSheet.SHEET_NAME));
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
    private static List<String> headerRow(UploadedWorkbooks workbook) throws ImportRefusedException, IOException {
        SheetRows.RawRow first;
        try (SheetRows rows = new SheetRows(workbook, membersPart(workbook))) {
            first = rows.next();
        }
        if (first == null || first.number() != 1) {
            return List.of();
        }
        Map<Integer, String> strings = SharedStrings.lookup(workbook, sharedIndexes(first.cells()));
        List<String> headers = new ArrayList<>();
        for (SheetRows.RawCell cell : first.cells()) {
            if (cell.column() > 1000) {
                break;
            }
            while (headers.size() < cell.column()) {
                headers.add("");
            }
            if (headers.size() == cell.column()) {
                String value = CellValues.shown(cell, strings::get, workbook.date1904(), CellValues.Kind.TEXT);
                headers.add(value == null ? "" : value.trim());
            }
        }
        while (!headers.isEmpty() && headers.get(headers.size() - 1).isEmpty()) {
            headers.remove(headers.size() - 1);
        }
        return headers;
    }

    /** The shared-strings indexes the cells refer to. */
    private static Set<Integer> sharedIndexes(List<SheetRows.RawCell> cells) {
        Set<Integer> indexes = new HashSet<>();
        for (SheetRows.RawCell cell : cells) {
            if ("s".equals(cell.type()) && cell.value() != null) {
                try {
                    indexes.add(Integer.parseInt(cell.value().trim()));
                }
                catch (NumberFormatException ex) {
                    // Not an index: the cell reads as empty.
                }
            }
        }
        return indexes;
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
        List<SheetRows.RawCell> cells = new ArrayList<>();
        try (UploadedWorkbooks workbook = UploadedWorkbooks.open(file)) {
            var part = workbook.sheetPart(MembersSheet.IDENTITY_SHEET_NAME);
            if (part.isEmpty()) {
                return Map.of();
            }
            try (SheetRows rows = new SheetRows(workbook, part.get())) {
                int count = 0;
                for (SheetRows.RawRow row = rows.next(); row != null; row = rows.next()) {
                    if (++count > 100) {
                        // An identity has a handful of keys; a long sheet under that name is not ours.
                        return Map.of();
                    }
                    SheetRows.RawCell key = null;
                    SheetRows.RawCell value = null;
                    for (SheetRows.RawCell cell : row.cells()) {
                        if (cell.column() == 0) {
                            key = cell;
                        }
                        else if (cell.column() == 1) {
                            value = cell;
                        }
                    }
                    if (key != null && value != null) {
                        cells.add(key);
                        cells.add(value);
                    }
                }
            }
            Map<Integer, String> strings = SharedStrings.lookup(workbook, sharedIndexes(cells));
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < cells.size(); i += 2) {
                String key = CellValues.shown(cells.get(i), strings::get, false, CellValues.Kind.TEXT);
                String value = CellValues.shown(cells.get(i + 1), strings::get, false, CellValues.Kind.TEXT);
                if (key != null && key.startsWith(ExportIdentity.PREFIX) && value != null) {
                    values.put(key.trim(), value.trim());
                }
            }
            return values;
        }
    }
}
