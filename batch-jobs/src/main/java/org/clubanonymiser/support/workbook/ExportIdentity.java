package org.clubanonymiser.support.workbook;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The identity an exported workbook carries, in its custom document properties and in its very hidden
 * {@link MembersSheet#IDENTITY_SHEET_NAME} sheet, under the keys of {@link #toProperties()}. Nothing personal.
 */
public record ExportIdentity(long exportId, long clubId, String clubCode, LocalDate asOf, LocalDate cutoff,
        int inactivityMonths, long rowCount, LocalDateTime createdAt, int formatVersion) {

    public static final String PREFIX = "anonymiser.";

    public static final String EXPORT_ID = PREFIX + "exportId";
    public static final String CLUB_ID = PREFIX + "clubId";
    public static final String CLUB_CODE = PREFIX + "clubCode";
    public static final String AS_OF = PREFIX + "asOf";
    public static final String CUTOFF = PREFIX + "cutoff";
    public static final String INACTIVITY_MONTHS = PREFIX + "inactivityMonths";
    public static final String ROW_COUNT = PREFIX + "rowCount";
    public static final String CREATED_AT = PREFIX + "createdAt";
    public static final String FORMAT_VERSION = PREFIX + "formatVersion";

    /** Key/value pairs in a stable order; values are plain strings (ISO dates) so any re-save keeps them as typed. */
    public Map<String, String> toProperties() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(EXPORT_ID, Long.toString(exportId));
        map.put(CLUB_ID, Long.toString(clubId));
        map.put(CLUB_CODE, clubCode);
        map.put(AS_OF, asOf.toString());
        map.put(CUTOFF, cutoff.toString());
        map.put(INACTIVITY_MONTHS, Integer.toString(inactivityMonths));
        map.put(ROW_COUNT, Long.toString(rowCount));
        map.put(CREATED_AT, createdAt.toString());
        map.put(FORMAT_VERSION, Integer.toString(formatVersion));
        return map;
    }

    /**
     * Parses what {@link #toProperties()} wrote. Spreadsheet applications may turn a numeric-looking text into a
     * number ("12" → "12.0"), so integers accept a trailing {@code .0}.
     *
     * @throws IllegalArgumentException when a key is missing or a value is malformed (the import's
     *                                  {@code UNKNOWN_EXPORT})
     */
    public static ExportIdentity fromProperties(Map<String, String> properties) {
        try {
            return new ExportIdentity(longValue(properties, EXPORT_ID), longValue(properties, CLUB_ID),
                    required(properties, CLUB_CODE), LocalDate.parse(required(properties, AS_OF)),
                    LocalDate.parse(required(properties, CUTOFF)),
                    (int) longValue(properties, INACTIVITY_MONTHS), longValue(properties, ROW_COUNT),
                    LocalDateTime.parse(required(properties, CREATED_AT)),
                    (int) longValue(properties, FORMAT_VERSION));
        }
        catch (DateTimeParseException | NumberFormatException ex) {
            throw new IllegalArgumentException("Malformed export identity: " + ex.getMessage(), ex);
        }
    }

    private static String required(Map<String, String> properties, String key) {
        String value = properties.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Export identity has no " + key);
        }
        return value.trim();
    }

    private static long longValue(Map<String, String> properties, String key) {
        String value = required(properties, key);
        if (value.endsWith(".0")) {
            value = value.substring(0, value.length() - 2);
        }
        return Long.parseLong(value);
    }
}
