package org.clubanonymiser.benchmarks;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The export's floor: what any exporter of the same rows must do at least, with no framework. A keyset read (pages of
 * 1000, the same {@code member} + activity subqueries as the export's reader, same index order) of one club's members,
 * the eligibility rules in plain Java, and the eligible members' eight cells written as sheet XML (inline strings)
 * into a deflated zip entry. No manifest, no fingerprint, no styles part, no second zip.
 * <p>
 * {@code java ExportFloor <jdbcUrl> <clubId> <asOf> <months> <out.zip>}; prints {@code rows=<n> ms=<t>}.
 */
public final class ExportFloor {

    static final String COLUMNS = """
            m.id, m.member_number, m.last_name, m.first_name, m.status, m.created_at, m.anonymised_at,
            (select a.balance from member_account a where a.member_id = m.id) as balance,
            (select max(v.visited_at) from visit v where v.member_id = m.id) as last_visit,
            (select max(b.booked_at) from booking b where b.member_id = m.id) as last_booked_at,
            (select max(b.starts_at) from booking b where b.member_id = m.id) as last_booking_start,
            (select max(p.purchased_at) from purchase p where p.member_id = m.id) as last_purchase,
            (select max(i.due_date) from instalment i where i.member_id = m.id) as last_instalment_due""";

    private static final int PAGE = 1000;

    private ExportFloor() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String url = args[0];
        long clubId = Long.parseLong(args[1]);
        LocalDate asOf = LocalDate.parse(args[2]);
        int months = Integer.parseInt(args[3]);
        LocalDateTime cutoff = asOf.minusMonths(months).atStartOfDay();
        long rows = 0;
        long scanned = 0;
        try (Connection db = DriverManager.getConnection(url, "sa", "");
                PreparedStatement page = db.prepareStatement("select " + COLUMNS
                        + " from member m where m.club_id = ? and m.id > ? order by m.club_id, m.id fetch first "
                        + PAGE + " rows only");
                OutputStream file = Files.newOutputStream(Path.of(args[4]));
                ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            Writer xml = new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), 64 * 1024);
            xml.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats"
                    + ".org/spreadsheetml/2006/main\"><sheetData>");
            long lastId = Long.MIN_VALUE;
            while (true) {
                page.setLong(1, clubId);
                page.setLong(2, lastId);
                int inPage = 0;
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        inPage++;
                        lastId = rs.getLong(1);
                        LocalDateTime last = max(max(max(ts(rs, 9), ts(rs, 10)), max(ts(rs, 11), ts(rs, 12))),
                                rs.getDate(13) == null ? null : rs.getDate(13).toLocalDate().atStartOfDay());
                        String status = rs.getString(5);
                        BigDecimal balance = rs.getBigDecimal(8);
                        LocalDateTime created = ts(rs, 6);
                        boolean eligible = ("PROSPECT".equals(status) || "FORMER_CLIENT".equals(status))
                                && rs.getTimestamp(7) == null && created.isBefore(cutoff)
                                && (balance == null || balance.signum() == 0)
                                && (last == null || last.isBefore(cutoff));
                        if (eligible) {
                            rows++;
                            LocalDateTime since = last == null ? created : last;
                            long inactive = ChronoUnit.MONTHS.between(since.toLocalDate(), asOf);
                            row(xml, rows + 1, lastId, rs.getString(2), rs.getString(3), rs.getString(4), status,
                                    last == null ? null : last.toLocalDate(), kind(rs, last), inactive);
                        }
                    }
                }
                scanned += inPage;
                if (inPage < PAGE) {
                    break;
                }
            }
            xml.write("</sheetData></worksheet>");
            xml.flush();
            zip.closeEntry();
        }
        System.out.println("rows=" + rows + " scanned=" + scanned + " ms=" + (System.nanoTime() - start) / 1_000_000);
    }

    private static String kind(ResultSet rs, LocalDateTime last) throws Exception {
        if (last == null) {
            return "NONE";
        }
        return last.equals(ts(rs, 9)) ? "VISIT" : last.equals(ts(rs, 10)) || last.equals(ts(rs, 11)) ? "BOOKING"
                : last.equals(ts(rs, 12)) ? "PURCHASE" : "INSTALMENT";
    }

    private static LocalDateTime ts(ResultSet rs, int column) throws Exception {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toLocalDateTime();
    }

    private static LocalDateTime max(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static void row(Writer xml, long r, long id, String number, String last, String first, String status,
            LocalDate activity, String kind, long months) throws Exception {
        xml.write("<row r=\"" + r + "\"><c r=\"A" + r + "\"><v>" + id + "</v></c>");
        inline(xml, "B", r, number);
        inline(xml, "C", r, last);
        inline(xml, "D", r, first);
        inline(xml, "E", r, status);
        if (activity != null) {
            // Excel serial date, as a date cell stores it.
            long serial = ChronoUnit.DAYS.between(LocalDate.of(1899, 12, 30), activity);
            xml.write("<c r=\"F" + r + "\" s=\"1\"><v>" + serial + "</v></c>");
        }
        inline(xml, "G", r, kind);
        xml.write("<c r=\"H" + r + "\"><v>" + months + "</v></c></row>");
    }

    private static void inline(Writer xml, String column, long r, String value) throws Exception {
        xml.write("<c r=\"" + column + r + "\" t=\"inlineStr\"><is><t>");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> xml.write("&lt;");
                case '>' -> xml.write("&gt;");
                case '&' -> xml.write("&amp;");
                case '"' -> xml.write("&quot;");
                default -> xml.write(c);
            }
        }
        xml.write("</t></is></c>");
    }
}
