package org.clubanonymiser.importing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * The signs of a decision the product cannot read that a person leaves on a row instead of deleting it, so that such
 * a row's member is kept, never anonymised:
 * <ul>
 * <li>a value in a cell outside the export's columns (a note typed beside the row): {@link #extraCell};</li>
 * <li>a cell comment anywhere on the row, a fill colour, a font colour or strikethrough on a cell of the export's
 * columns that the other data rows do not have: {@link #mark}.</li>
 * </ul>
 * "The other data rows" is the file's own usual look, per column: spreadsheet programs may restyle every row on a
 * re-save (so the export's styles are no reference), but they restyle them alike. When some data cells of a column
 * are unmarked ({@link CellStyles.Look#PLAIN}), that is the usual look, so that marking most rows still marks them;
 * otherwise the column's most frequent look is. Built by one streaming pass over the sheet (style indexes only) and a
 * streaming read of the comments part (a bit per commented row). Hidden rows are refused by the gate before.
 * Immutable; holds no cell text.
 */
final class RowMarks {

    private final CellStyles styles;

    private final List<CellStyles.Look> usual;

    /** Rows with a comment: a bit per row, whatever the number of comments (a sheet has at most 1,048,576 rows). */
    private final BitSet commentedRows;

    /** The first commented cell of the first {@value #NAMED_COMMENTS} commented rows, for the message. */
    private final Map<Long, String> comments;

    private static final int NAMED_COMMENTS = 10_000;

    private RowMarks(CellStyles styles, List<CellStyles.Look> usual, BitSet commentedRows,
            Map<Long, String> comments) {
        this.styles = styles;
        this.usual = usual;
        this.commentedRows = commentedRows;
        this.comments = comments;
    }

    static RowMarks scan(UploadedWorkbooks workbook, String sheetPart) throws IOException {
        CellStyles styles = CellStyles.load(workbook);
        List<Map<CellStyles.Look, Long>> counts = new ArrayList<>();
        for (int column = 0; column < MembersSheet.HEADERS.size(); column++) {
            counts.add(new LinkedHashMap<>());
        }
        try (SheetRows rows = new SheetRows(workbook, sheetPart)) {
            for (SheetRows.RawRow row = rows.next(); row != null; row = rows.next()) {
                if (row.number() <= 1 || row.hidden()) {
                    continue;
                }
                for (SheetRows.RawCell cell : row.cells()) {
                    if (cell.column() < counts.size() && hasValue(cell)) {
                        counts.get(cell.column()).merge(styles.look(cell.style()), 1L, Long::sum);
                    }
                }
            }
        }
        List<CellStyles.Look> usual = new ArrayList<>();
        for (Map<CellStyles.Look, Long> column : counts) {
            usual.add(column.containsKey(CellStyles.Look.PLAIN) ? CellStyles.Look.PLAIN
                    : column.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                        .orElse(CellStyles.Look.PLAIN));
        }
        BitSet commentedRows = new BitSet();
        Map<Long, String> comments = comments(workbook, sheetPart, commentedRows);
        return new RowMarks(styles, List.copyOf(usual), commentedRows, comments);
    }

    /** How the row is marked unlike the others (e.g. {@code "a fill colour in C7"}), or {@code null}. */
    String mark(SheetRows.RawRow row) {
        if (row.hidden()) {
            return "the row is hidden";
        }
        if (row.number() <= Integer.MAX_VALUE && commentedRows.get((int) row.number())) {
            String comment = comments.get(row.number());
            return comment == null ? "a comment on the row" : "a comment in " + comment;
        }
        for (SheetRows.RawCell cell : row.cells()) {
            if (cell.column() < usual.size() && hasValue(cell)) {
                Optional<String> difference = styles.look(cell.style()).differenceFrom(usual.get(cell.column()));
                if (difference.isPresent()) {
                    return difference.get() + " in " + cell.reference(row.number());
                }
            }
        }
        return null;
    }

    /** The reference of the row's first cell right of the export's columns that shows a value, or {@code null}. */
    static String extraCell(SheetRows.RawRow row, IntFunction<String> strings, boolean date1904) {
        for (SheetRows.RawCell cell : row.cells()) {
            if (cell.column() >= MembersSheet.HEADERS.size()) {
                String shown = CellValues.shown(cell, strings, date1904, CellValues.Kind.TEXT);
                if (shown != null && !shown.isBlank() || cell.formula()) {
                    return cell.reference(row.number());
                }
            }
        }
        return null;
    }

    private static boolean hasValue(SheetRows.RawCell cell) {
        return cell.value() != null && !cell.value().isBlank();
    }

    /** Marks the commented rows; returns the first commented cell of the first rows, by row number. */
    private static Map<Long, String> comments(UploadedWorkbooks workbook, String sheetPart, BitSet commentedRows)
            throws IOException {
        Map<Long, String> comments = new HashMap<>();
        Optional<String> part = workbook.commentsPart(sheetPart);
        if (part.isEmpty()) {
            return comments;
        }
        XMLStreamReader reader = workbook.parse(part.get());
        try {
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT && "comment".equals(reader.getLocalName())) {
                    String ref = UploadedWorkbooks.attribute(reader, "ref");
                    if (ref != null) {
                        String cell = ref.trim().split(":")[0].toUpperCase(java.util.Locale.ROOT);
                        String digits = cell.replaceAll("^[A-Z]+", "");
                        if (!digits.isEmpty() && digits.length() <= 7 && digits.chars().allMatch(Character::isDigit)) {
                            int rowNumber = Integer.parseInt(digits);
                            commentedRows.set(rowNumber);
                            if (comments.size() < NAMED_COMMENTS) {
                                comments.putIfAbsent((long) rowNumber, cell);
                            }
                        }
                    }
                }
            }
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("The comments cannot be parsed", ex);
        }
        finally {
            UploadedWorkbooks.close(reader);
        }
        return comments;
    }
}
