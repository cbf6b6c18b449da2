package org.clubanonymiser.importing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams the rows of one sheet part as they are stored, one row in memory at a time: each cell with its type
 * attribute, its raw value (the {@code <v>} text, or an inline string's text: its {@code <t>} or rich-text runs, never
 * the whitespace between elements nor phonetic runs), its style index and whether it holds a formula. Rows and cells
 * without an {@code r} attribute follow the previous one, as the format says. Turning raw values into what the admin
 * sees is {@link CellValues}'s job. Not thread-safe; the caller closes it.
 */
final class SheetRows implements AutoCloseable {

    /** One stored cell. {@code type} is the {@code t} attribute ({@code null}: a number). */
    record RawCell(int column, String type, String value, int style, boolean formula) {

        /** The cell's reference as the admin reads it, e.g. {@code I7}. */
        String reference(long rowNumber) {
            return columnName(column) + rowNumber;
        }

        @Override
        public String toString() {
            // The value may be a name: never print it.
            return "RawCell[column=" + column + ", type=" + type + "]";
        }
    }

    /**
     * One stored row. {@code hidden}: hidden by the admin, collapsed in an outline or filtered out by an auto-filter
     * (all three are stored as a hidden row), or given a zero height.
     */
    record RawRow(long number, boolean hidden, List<RawCell> cells) {
    }

    private final XMLStreamReader reader;

    private long lastRow;

    SheetRows(UploadedWorkbooks workbook, String sheetPart) throws IOException {
        this.reader = workbook.parse(sheetPart);
    }

    /** The next stored row, or {@code null} after the last. */
    RawRow next() throws IOException {
        try {
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamConstants.START_ELEMENT && "row".equals(reader.getLocalName())) {
                    return row();
                }
            }
            return null;
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("The sheet cannot be parsed", ex);
        }
    }

    private RawRow row() throws XMLStreamException {
        String r = UploadedWorkbooks.attribute(reader, "r");
        long number = r == null ? lastRow + 1 : Long.parseLong(r.trim());
        lastRow = number;
        String height = UploadedWorkbooks.attribute(reader, "ht");
        boolean hidden = UploadedWorkbooks.isTrue(UploadedWorkbooks.attribute(reader, "hidden"))
                || height != null && isZero(height);
        List<RawCell> cells = new ArrayList<>();
        int lastColumn = -1;
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT && "c".equals(reader.getLocalName())) {
                RawCell cell = cell(lastColumn);
                lastColumn = cell.column();
                cells.add(cell);
            }
            else if (event == XMLStreamConstants.END_ELEMENT && "row".equals(reader.getLocalName())) {
                break;
            }
        }
        return new RawRow(number, hidden, cells);
    }

    private RawCell cell(int lastColumn) throws XMLStreamException {
        String ref = UploadedWorkbooks.attribute(reader, "r");
        int column = ref == null ? lastColumn + 1 : columnIndex(ref);
        String type = UploadedWorkbooks.attribute(reader, "t");
        String s = UploadedWorkbooks.attribute(reader, "s");
        int style = s == null ? 0 : Integer.parseInt(s.trim());
        boolean formula = false;
        StringBuilder value = null;
        String stored = null;
        boolean inValue = false;
        int phonetic = 0;
        int depth = 1;
        while (reader.hasNext() && depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                switch (reader.getLocalName()) {
                    case "f" -> formula = true;
                    case "v" -> {
                        value = new StringBuilder();
                        inValue = true;
                    }
                    case "is" -> {
                        stored = value == null ? null : value.toString();
                        value = new StringBuilder();
                    }
                    case "rPh" -> phonetic++;
                    case "t" -> inValue = value != null && phonetic == 0;
                    default -> {
                    }
                }
            }
            else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                switch (reader.getLocalName()) {
                    case "v", "t" -> inValue = false;
                    case "rPh" -> phonetic--;
                    default -> {
                    }
                }
            }
            else if (inValue && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE)) {
                value.append(reader.getText());
            }
        }
        String text = value == null ? null : value.toString();
        if (stored != null && !stored.equals(text)) {
            // Both a <v> and an inline string that disagree (POI's setCellValue on an inline-string cell writes so):
            // programs differ on which one they show, so no value can be trusted to be what the admin saw. A value no
            // export wrote makes the row CONTENT_MODIFIED, naming the column: the member is kept.
            text = stored + '\u0000' + text;
        }
        return new RawCell(column, type, text, style, formula);
    }

    private static boolean isZero(String number) {
        try {
            return Double.parseDouble(number.trim()) == 0;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    /** The 0-based column of a cell reference ({@code C7} is 2). */
    static int columnIndex(String reference) {
        int column = 0;
        for (int i = 0; i < reference.length() && Character.isLetter(reference.charAt(i)); i++) {
            column = column * 26 + (Character.toUpperCase(reference.charAt(i)) - 'A' + 1);
        }
        return column - 1;
    }

    /** The letters of a 0-based column ({@code 8} is {@code I}). */
    static String columnName(int column) {
        StringBuilder name = new StringBuilder();
        for (int n = column + 1; n > 0; n = (n - 1) / 26) {
            name.insert(0, (char) ('A' + (n - 1) % 26));
        }
        return name.toString();
    }

    @Override
    public void close() throws IOException {
        UploadedWorkbooks.close(reader);
    }
}
