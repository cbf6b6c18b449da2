package org.clubanonymiser.benchmarks;

import java.io.BufferedWriter;
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
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The export's floor: what any exporter of the same rows must do at least, with no framework. A keyset read (pages of
 * 1000, the same {@code member} + activity subqueries as the export's reader, same index order) of one club's members,
 * the eligibility rules in plain Java, and the eligible members' eight cells written as sheet XML (inline strings)
 * into a deflated zip entry. No manifest, no fingerprint, no styles part, no second zip.
 * <p>
 * With {@code manifest} as sixth argument, also what persisting the export's manifest costs at least: one transaction
 * per page that clears the page's member id range of a scratch table shaped like {@code anonymisation_export_member},
 * inserts the page's eligible rows with a SHA-256 fingerprint each as one JDBC batch, and adds to a progress row.
 * <p>
 * With {@code single} as sixth argument, the one-statement floor instead: the eligible set computed by the database
 * in ONE query (the eligibility rule as plain {@code NOT EXISTS} subqueries, {@link ImportFloor#PREDICATE}: the rule
 * the import's UPDATE re-checks), read as a stream in member id order ({@link #FETCH} rows a round trip) and written
 * as the same cells; no rule judged in Java, no page boundary. It says what the page-per-chunk reading costs.
 * <p>
 * {@code java ExportFloor <jdbcUrl> <clubId> <asOf> <months> <out.zip> [manifest|single]}; prints
 * {@code rows=<n> ms=<t>}. The database user is {@code -Dbench.user} ({@code sa}), its password
 * {@code -Dbench.password} (empty): the same for H2 and a PostgreSQL server.
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

    /** Rows fetched per round trip by the one-statement floor (PostgreSQL streams only with a fetch size). */
    static final int FETCH = 1000;

    private ExportFloor() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        String url = args[0];
        long clubId = Long.parseLong(args[1]);
        LocalDate asOf = LocalDate.parse(args[2]);
        int months = Integer.parseInt(args[3]);
        LocalDateTime cutoff = asOf.minusMonths(months).atStartOfDay();
        String mode = args.length > 5 ? args[5] : "";
        boolean manifest = "manifest".equals(mode);
        long[] counts;
        try (Connection db = connect(url)) {
            if (manifest) {
                try (Statement ddl = db.createStatement()) {
                    ddl.execute("""
                            create table if not exists bench_manifest_floor (export_id bigint, member_id bigint,
                                member_number varchar(20), last_name varchar(100), first_name varchar(100),
                                status varchar(20), last_activity date, last_activity_kind varchar(20),
                                months_inactive int, fingerprint varchar(64), primary key (export_id, member_id))""");
                    ddl.execute("create table if not exists bench_manifest_progress (id bigint primary key,"
                            + " scanned bigint, eligible bigint)");
                    ddl.execute("delete from bench_manifest_floor");
                    ddl.execute("delete from bench_manifest_progress");
                    ddl.execute("insert into bench_manifest_progress values (1, 0, 0)");
                }
                db.setAutoCommit(false);
            }
            counts = "single".equals(mode) ? exportInOneStatement(db, clubId, asOf, cutoff, args[4])
                    : export(db, manifest, clubId, asOf, cutoff, args[4]);
            if (manifest) {
                // The run's database goes on to the import phase as the export job left it.
                try (Statement ddl = db.createStatement()) {
                    ddl.execute("drop table bench_manifest_floor");
                    ddl.execute("drop table bench_manifest_progress");
                }
                db.commit();
            }
        }
        System.out.println("rows=" + counts[0] + " scanned=" + counts[1] + " ms="
                + (System.nanoTime() - start) / 1_000_000);
    }

    /** A connection as {@code -Dbench.user} / {@code -Dbench.password} ({@code sa} / empty: H2's). */
    static Connection connect(String url) throws Exception {
        return DriverManager.getConnection(url, System.getProperty("bench.user", "sa"),
                System.getProperty("bench.password", ""));
    }

    /**
     * The one-statement floor: the database computes the eligible set and the cells' activity in one query, streamed.
     *
     * @return rows exported, members scanned (unknown here: 0)
     */
    private static long[] exportInOneStatement(Connection db, long clubId, LocalDate asOf, LocalDateTime cutoff,
            String out) throws Exception {
        long rows = 0;
        // PostgreSQL keeps a cursor open (and fetches FETCH rows at a time) only inside a transaction.
        db.setAutoCommit(false);
        Timestamp cutoffTime = Timestamp.valueOf(cutoff);
        try (PreparedStatement eligible = db.prepareStatement("select " + COLUMNS + " from member m"
                + " where m.club_id = ? and " + ImportFloor.PREDICATE + " order by m.club_id, m.id");
                Sheet sheet = new Sheet(out)) {
            eligible.setFetchSize(FETCH);
            int p = 1;
            eligible.setLong(p++, clubId);
            eligible.setTimestamp(p++, cutoffTime);
            for (int i = 0; i < 4; i++) {
                eligible.setTimestamp(p++, cutoffTime);
            }
            eligible.setDate(p, java.sql.Date.valueOf(cutoff.toLocalDate()));
            try (ResultSet rs = eligible.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    long id = rs.getLong(1);
                    LocalDateTime last = lastActivity(rs);
                    LocalDateTime since = last == null ? ts(rs, 6) : last;
                    row(sheet.xml, rows + 1, id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            last == null ? null : last.toLocalDate(), kind(rs, last),
                            ChronoUnit.MONTHS.between(since.toLocalDate(), asOf));
                }
            }
        }
        db.commit();
        return new long[] { rows, 0 };
    }

    /** The sheet part of a deflated zip: the XML writer between the header and the footer. */
    private static final class Sheet implements AutoCloseable {

        private final ZipOutputStream zip;

        final Writer xml;

        Sheet(String out) throws Exception {
            zip = new ZipOutputStream(Files.newOutputStream(Path.of(out)));
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            xml = new BufferedWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8), 64 * 1024);
            xml.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats"
                    + ".org/spreadsheetml/2006/main\"><sheetData>");
        }

        @Override
        public void close() throws Exception {
            xml.write("</sheetData></worksheet>");
            xml.flush();
            zip.closeEntry();
            zip.close();
        }
    }

    private static LocalDateTime lastActivity(ResultSet rs) throws Exception {
        return max(max(max(ts(rs, 9), ts(rs, 10)), max(ts(rs, 11), ts(rs, 12))),
                rs.getDate(13) == null ? null : rs.getDate(13).toLocalDate().atStartOfDay());
    }

    /** @return rows exported, members scanned */
    private static long[] export(Connection db, boolean manifest, long clubId, LocalDate asOf, LocalDateTime cutoff,
            String out) throws Exception {
        long rows = 0;
        long scanned = 0;
        List<Object[]> eligibleRows = new ArrayList<>();
        try (PreparedStatement page = db.prepareStatement("select " + COLUMNS
                        + " from member m where m.club_id = ? and m.id > ? order by m.club_id, m.id fetch first "
                        + PAGE + " rows only");
                PreparedStatement clear = manifest ? db.prepareStatement(
                        "delete from bench_manifest_floor where export_id = 0 and member_id between ? and ?") : null;
                PreparedStatement insert = manifest ? db.prepareStatement(
                        "insert into bench_manifest_floor values (0, ?, ?, ?, ?, ?, ?, ?, ?, ?)") : null;
                PreparedStatement progress = manifest ? db.prepareStatement(
                        "update bench_manifest_progress set scanned = scanned + ?, eligible = eligible + ?"
                                + " where id = 1") : null;
                Sheet sheet = new Sheet(out)) {
            Writer xml = sheet.xml;
            long lastId = Long.MIN_VALUE;
            while (true) {
                page.setLong(1, clubId);
                page.setLong(2, lastId);
                int inPage = 0;
                try (ResultSet rs = page.executeQuery()) {
                    while (rs.next()) {
                        inPage++;
                        lastId = rs.getLong(1);
                        LocalDateTime last = lastActivity(rs);
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
                            if (manifest) {
                                eligibleRows.add(new Object[] { lastId, rs.getString(2), rs.getString(3),
                                    rs.getString(4), status, last == null ? null : last.toLocalDate(), kind(rs, last),
                                    (int) inactive });
                            }
                        }
                    }
                }
                scanned += inPage;
                if (manifest) {
                    writeManifest(db, clear, insert, progress, eligibleRows, inPage);
                }
                if (inPage < PAGE) {
                    break;
                }
            }
        }
        return new long[] { rows, scanned };
    }

    private static void writeManifest(Connection db, PreparedStatement clear, PreparedStatement insert,
            PreparedStatement progress, List<Object[]> eligibleRows, int scanned) throws Exception {
        if (!eligibleRows.isEmpty()) {
            clear.setLong(1, (Long) eligibleRows.get(0)[0]);
            clear.setLong(2, (Long) eligibleRows.get(eligibleRows.size() - 1)[0]);
            clear.executeUpdate();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Object[] row : eligibleRows) {
                StringBuilder canonical = new StringBuilder();
                for (int i = 0; i < 8; i++) {
                    insert.setObject(i + 1, row[i]);
                    canonical.append(row[i]).append('\u001f');
                }
                insert.setString(9, HexFormat.of().formatHex(sha.digest(canonical.toString()
                    .getBytes(StandardCharsets.UTF_8))));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        progress.setLong(1, scanned);
        progress.setLong(2, eligibleRows.size());
        progress.executeUpdate();
        db.commit();
        eligibleRows.clear();
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
