package org.clubanonymiser.export;

import java.util.Locale;

import org.clubanonymiser.exportrecord.ExportRecord;

/**
 * Names of an export's files, built from values the product controls (export id, club code, as-of date), never from
 * the user-supplied export name: {@code export-<id>-<club>-<asOf>.zip} holding {@code export-<id>-<club>-<asOf>.xlsx}.
 */
final class ExportFileNames {

    private static final int MAX_CLUB_PART = 32;

    private ExportFileNames() {
    }

    static String baseName(ExportRecord export) {
        return "export-" + export.id() + "-" + slug(export.clubCode()) + "-" + export.asOf();
    }

    static String zipName(ExportRecord export) {
        return baseName(export) + ".zip";
    }

    static String workbookName(ExportRecord export) {
        return baseName(export) + ".xlsx";
    }

    /** Letters, digits, {@code _} and {@code -} only; anything else becomes {@code -}. */
    static String slug(String text) {
        String slug = text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-")
            .replaceAll("^-+|-+$", "");
        if (slug.length() > MAX_CLUB_PART) {
            slug = slug.substring(0, MAX_CLUB_PART);
        }
        return slug.isEmpty() ? "club" : slug;
    }
}
