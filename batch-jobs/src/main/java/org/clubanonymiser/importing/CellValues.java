package org.clubanonymiser.importing;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.poi.ss.usermodel.DateUtil;
import org.clubanonymiser.support.workbook.MembersSheet;

/**
 * The one place that decides what a stored cell shows, whatever program wrote it, so that values, not XML, are
 * compared with the export. By the column's kind in the export ({@link Kind}):
 * <ul>
 * <li>a number, in any XML form ({@code 3}, {@code 3.0}, {@code 3E0}, {@code 2.9999999999999996}: spreadsheets show a
 * fraction to 15 significant digits), or a text holding one ({@code "3"}, {@code " 3 "}, taken as typed) in a number
 * column, reads in plain notation ({@code 3});</li>
 * <li>in the date column, a number is a date serial whatever its number format (built-in or custom, or none: the
 * column holds dates), read in the workbook's date system as an ISO date ({@code 2019-01-04}); an ISO date as text or
 * as an ISO-typed cell reads the same; a serial with a time of day keeps its time, so it differs from a date;</li>
 * <li>a text reads exactly as stored in its {@code <t>} (shared or inline, rich-text runs joined, {@code _xHHHH_}
 * escapes decoded), spaces inside it kept: a changed letter or an added space is a changed value;</li>
 * <li>booleans read {@code TRUE}/{@code FALSE}, errors {@code #ERROR}, empty cells {@code null}.</li>
 * </ul>
 * Stateless.
 */
final class CellValues {

    /** What a column of the export holds. */
    enum Kind {
        TEXT, NUMBER, DATE;

        static Kind of(int column) {
            return switch (column) {
                case MembersSheet.COL_MEMBER_ID, MembersSheet.COL_MONTHS_INACTIVE -> NUMBER;
                case MembersSheet.COL_LAST_ACTIVITY -> DATE;
                default -> TEXT;
            };
        }
    }

    private static final MathContext SHOWN_DIGITS = new MathContext(15);

    private static final Pattern ESCAPE = Pattern.compile("_x([0-9A-Fa-f]{4})_");

    private CellValues() {
    }

    /**
     * @param cell       a stored cell, or {@code null} (a missing cell)
     * @param strings    the shared-strings table by index ({@code null} for a missing entry)
     * @param date1904   the workbook counts dates from 1904
     */
    static String shown(SheetRows.RawCell cell, IntFunction<String> strings, boolean date1904, Kind kind) {
        if (cell == null || cell.value() == null) {
            return null;
        }
        String raw = cell.value();
        String type = cell.type() == null ? "n" : cell.type();
        return switch (type) {
            case "s" -> text(unescape(sharedString(raw, strings)), kind);
            case "inlineStr", "str" -> text(unescape(raw), kind);
            case "b" -> raw.isBlank() ? null : "1".equals(raw.trim()) || "true".equals(raw.trim()) ? "TRUE" : "FALSE";
            case "e" -> "#ERROR";
            case "d" -> raw.isBlank() ? null : isoDate(raw.trim(), raw.trim());
            default -> number(raw, kind, date1904);
        };
    }

    /**
     * The characters XML cannot hold (control characters) as OOXML writes them, {@code _xHHHH_}; {@code _x005F_}
     * escapes a literal underscore so that such text survives.
     */
    static String unescape(String text) {
        if (text == null || !text.contains("_x")) {
            return text;
        }
        Matcher escape = ESCAPE.matcher(text);
        StringBuilder unescaped = new StringBuilder();
        while (escape.find()) {
            escape.appendReplacement(unescaped, Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
        }
        return escape.appendTail(unescaped).toString();
    }

    private static String sharedString(String index, IntFunction<String> strings) {
        try {
            return strings.apply(Integer.parseInt(index.trim()));
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    private static String text(String text, Kind kind) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return switch (kind) {
            case TEXT -> text;
            case NUMBER -> {
                BigDecimal number = decimal(text.trim());
                yield number == null ? text : plain(number);
            }
            case DATE -> isoDate(text.trim(), text);
        };
    }

    private static String number(String raw, Kind kind, boolean date1904) {
        if (raw.isBlank()) {
            return null;
        }
        BigDecimal number = decimal(raw.trim());
        if (number == null) {
            return raw.trim();
        }
        if (kind == Kind.DATE) {
            double serial = number.doubleValue();
            if (DateUtil.isValidExcelDate(serial)) {
                LocalDateTime value = DateUtil.getLocalDateTime(serial, date1904);
                return value.toLocalTime().toSecondOfDay() == 0 ? value.toLocalDate().toString() : value.toString();
            }
        }
        return shownNumber(number);
    }

    /** An ISO date ({@code 2019-01-04}, or a date-time at midnight) as a date; anything else as {@code otherwise}. */
    private static String isoDate(String text, String otherwise) {
        try {
            return LocalDate.parse(text).toString();
        }
        catch (DateTimeParseException ex) {
            try {
                LocalDateTime value = LocalDateTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1)
                        : text);
                return value.toLocalTime().toNanoOfDay() == 0 ? value.toLocalDate().toString() : otherwise;
            }
            catch (DateTimeParseException notEither) {
                return otherwise;
            }
        }
    }

    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text);
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    /** A text holding a number, as typed: no rounding (a spreadsheet shows the text itself). */
    private static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.signum() == 0 ? "0" : stripped.toPlainString();
    }

    /**
     * A number cell as shown: a fraction to 15 significant digits, as spreadsheets display binary floating-point
     * noise ({@code 2.9999999999999996} shows {@code 3}); a whole number exactly (a 16-digit id stays 16 digits).
     */
    private static String shownNumber(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return plain(stripped.scale() > 0 ? stripped.round(SHOWN_DIGITS) : stripped);
    }
}
