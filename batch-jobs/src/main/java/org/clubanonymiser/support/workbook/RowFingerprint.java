package org.clubanonymiser.support.workbook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of an exported row's values, salted with the export id: recorded in the manifest at export, recomputed
 * from the uploaded row at import ({@code CONTENT_MODIFIED} when they differ). A hash of a name is still personal
 * data: the manifest's fingerprints are erased with its row values when the import completes.
 */
public final class RowFingerprint {

    private static final char SEPARATOR = '\u001f';

    private RowFingerprint() {
    }

    public static String of(long exportId, ExportedRow row) {
        String canonical = String.join(String.valueOf(SEPARATOR), Long.toString(exportId),
                Long.toString(row.memberId()), nullSafe(row.memberNumber()), nullSafe(row.lastName()),
                nullSafe(row.firstName()), nullSafe(row.status()),
                row.lastActivity() == null ? "" : row.lastActivity().toString(), nullSafe(row.lastActivityKind()),
                Integer.toString(row.monthsInactive()));
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by the JVM spec", ex);
        }
    }

    private static String nullSafe(String value) {
        return value == null ? "" : value;
    }
}
