package org.clubanonymiser.benchmarks;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipFile;

import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The import's floor: a JDK SAX pass over the re-saved workbook (shared strings loaded in memory, every cell of the
 * first sheet resolved to text) and, per 500 rows, the import's anonymising SQL as plain JDBC: the member UPDATE with
 * the eligibility predicate (one batch), then address, phones, consents, badges, retired numbers and ledger for the
 * members it changed, and a commit. No row validation, no claims, no manifest check, no locks, no error file, no
 * framework. Run it on a copy of the database: it anonymises.
 * <p>
 * With {@code checks} as fourth argument, also what the import's checks cost at least, in the same transaction as
 * the job does them: per chunk the members' facts (the export's activity subqueries, their manifest row and
 * fingerprint, an earlier claim), the chunk's claims as one batch (into a scratch copy of the claims table), the
 * {@code for update} locks on the members and their accounts, and after the UPDATE the re-check of the changed
 * members against activity committed meanwhile; at the end the manifest's values erased and the claims deleted.
 * <p>
 * {@code java ImportFloor <jdbcUrl> <file.xlsx> <exportId> [checks]}; prints {@code rows=<n> anonymised=<n> ms=<t>}.
 * The database user is {@code -Dbench.user}, as for {@link ExportFloor}.
 */
public final class ImportFloor {

    private static final int CHUNK = 500;

    /** The eligibility rule as plain SQL ({@code EligibilitySql.ELIGIBLE_PREDICATE} with positional markers). */
    static final String PREDICATE = """
            m.status in ('PROSPECT', 'FORMER_CLIENT')
            and m.anonymised_at is null
            and m.created_at < ?
            and coalesce((select a.balance from member_account a where a.member_id = m.id), 0) = 0
            and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= ?)
            and not exists (select 1 from booking b where b.member_id = m.id and b.booked_at >= ?)
            and not exists (select 1 from booking b where b.member_id = m.id and b.starts_at >= ?)
            and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= ?)
            and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= ?)""";

    private static final String ANONYMISE = """
            update member m set first_name = 'No', last_name = 'No', email = null, birth_date = null, notes = null,
                status = 'ANONYMISED', anonymised_at = ?, sales_blocked = ?, bookings_blocked = ?
            where m.id = ? and m.club_id = ? and\s""" + PREDICATE;

    /** The job's facts query ({@code JdbcRowFacts.memberSql}), on the scratch claims table. */
    private static final String FACTS = "select m.club_id,"
            + " (select count(*) from anonymisation_export_member em where em.export_id = ? and em.member_id = m.id)"
            + " as in_export, (select em.fingerprint from anonymisation_export_member em where em.export_id = ?"
            + " and em.member_id = m.id) as fingerprint, (select c.row_number from bench_import_claim c"
            + " where c.import_id = 0 and c.member_id = m.id) as claimed_row, " + ExportFloor.COLUMNS
            + " from member m where m.id in ";

    /** The job's re-check after the UPDATE (changed members whose balance or activity would have kept them). */
    private static final String CAME_BACK = """
            select m.id from member m where not (
            coalesce((select a.balance from member_account a where a.member_id = m.id), 0) = 0
            and not exists (select 1 from visit v where v.member_id = m.id and v.visited_at >= ?)
            and not exists (select 1 from booking b where b.member_id = m.id and b.booked_at >= ?)
            and not exists (select 1 from booking b where b.member_id = m.id and b.starts_at >= ?)
            and not exists (select 1 from purchase p where p.member_id = m.id and p.purchased_at >= ?)
            and not exists (select 1 from instalment i where i.member_id = m.id and i.due_date >= ?))
            and m.id in\s""";

    private ImportFloor() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        long exportId = Long.parseLong(args[2]);
        boolean checks = args.length > 3 && "checks".equals(args[3]);
        try (Connection db = ExportFloor.connect(args[0]);
                ZipFile zip = new ZipFile(args[1])) {
            db.setAutoCommit(false);
            long clubId;
            LocalDate cutoff;
            try (PreparedStatement export = db.prepareStatement(
                    "select club_id, cutoff from anonymisation_export where id = ?")) {
                export.setLong(1, exportId);
                try (ResultSet rs = export.executeQuery()) {
                    rs.next();
                    clubId = rs.getLong(1);
                    cutoff = rs.getDate(2).toLocalDate();
                }
            }
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(false);
            SAXParser parser = factory.newSAXParser();
            List<String> strings = new ArrayList<>();
            var sst = zip.getEntry("xl/sharedStrings.xml");
            if (sst != null) {
                try (InputStream in = zip.getInputStream(sst)) {
                    parser.parse(in, new SharedStrings(strings));
                }
            }
            Anonymiser anonymiser = new Anonymiser(db, clubId, cutoff, checks ? exportId : null);
            try (InputStream in = zip.getInputStream(zip.getEntry("xl/worksheets/sheet1.xml"))) {
                parser.reset();
                parser.parse(in, new Sheet(strings, anonymiser));
            }
            anonymiser.flush();
            anonymiser.complete();
            System.out.println("rows=" + anonymiser.rows + " anonymised=" + anonymiser.anonymised + " ms="
                    + (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** Every {@code <si>} of the shared-strings part, rich-text runs concatenated. */
    private static final class SharedStrings extends DefaultHandler {

        private final List<String> strings;

        private final StringBuilder text = new StringBuilder();

        private boolean inT;

        SharedStrings(List<String> strings) {
            this.strings = strings;
        }

        @Override
        public void startElement(String uri, String local, String name, Attributes attributes) {
            if ("si".equals(name)) {
                text.setLength(0);
            }
            inT = "t".equals(name);
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (inT) {
                text.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String local, String name) {
            if ("t".equals(name)) {
                inT = false;
            }
            else if ("si".equals(name)) {
                strings.add(text.toString());
            }
        }
    }

    /** The cells of each row as text; the member id (column A) of every data row goes to the anonymiser. */
    private static final class Sheet extends DefaultHandler {

        private final List<String> strings;

        private final Anonymiser anonymiser;

        private final StringBuilder value = new StringBuilder();

        private final String[] cells = new String[8];

        private boolean inValue;

        private String type;

        private int column;

        private int rowNumber;

        Sheet(List<String> strings, Anonymiser anonymiser) {
            this.strings = strings;
            this.anonymiser = anonymiser;
        }

        @Override
        public void startElement(String uri, String local, String name, Attributes attributes) {
            switch (name) {
                case "row" -> {
                    rowNumber = Integer.parseInt(attributes.getValue("r"));
                    java.util.Arrays.fill(cells, null);
                }
                case "c" -> {
                    type = attributes.getValue("t");
                    String ref = attributes.getValue("r");
                    column = ref.charAt(0) - 'A';
                    value.setLength(0);
                }
                case "v", "t" -> inValue = true;
                default -> { }
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (inValue) {
                value.append(ch, start, length);
            }
        }

        @Override
        public void endElement(String uri, String local, String name) {
            switch (name) {
                case "v", "t" -> inValue = false;
                case "c" -> {
                    if (column >= 0 && column < cells.length) {
                        cells[column] = "s".equals(type) ? strings.get(Integer.parseInt(value.toString()))
                                : value.toString();
                    }
                }
                case "row" -> {
                    if (rowNumber > 1 && cells[0] != null) {
                        anonymiser.add(Long.parseLong(cells[0]));
                    }
                }
                default -> { }
            }
        }
    }

    /** The import's SQL for each chunk of ids, committed per chunk. */
    private static final class Anonymiser {

        private final Connection db;

        private final long clubId;

        private final Timestamp cutoff;

        private final Date cutoffDate;

        private final List<Long> ids = new ArrayList<>();

        private final PreparedStatement update;

        long rows;

        long anonymised;

        /** The export whose rows are checked ({@code checks} mode), or null. */
        private final Long checkedExport;

        private final PreparedStatement claim;

        Anonymiser(Connection db, long clubId, LocalDate cutoff, Long checkedExport) throws Exception {
            this.db = db;
            this.clubId = clubId;
            this.cutoff = Timestamp.valueOf(cutoff.atStartOfDay());
            this.cutoffDate = Date.valueOf(cutoff);
            this.update = db.prepareStatement(ANONYMISE);
            this.checkedExport = checkedExport;
            if (checkedExport != null) {
                try (Statement ddl = db.createStatement()) {
                    ddl.execute("create table if not exists bench_import_claim (import_id bigint, member_id bigint,"
                            + " row_number bigint, primary key (import_id, member_id))");
                    ddl.execute("delete from bench_import_claim");
                }
                db.commit();
                this.claim = db.prepareStatement("insert into bench_import_claim values (0, ?, ?)");
            }
            else {
                this.claim = null;
            }
        }

        /** The checks before the UPDATE: facts (read whole), claims, locks. */
        private void checkBefore() throws Exception {
            String in = in(ids.size());
            try (PreparedStatement facts = db.prepareStatement(FACTS + in)) {
                facts.setLong(1, checkedExport);
                facts.setLong(2, checkedExport);
                bind(facts, 3, ids);
                try (ResultSet rs = facts.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int c = 1; c <= columns; c++) {
                            rs.getObject(c);
                        }
                    }
                }
            }
            for (int i = 0; i < ids.size(); i++) {
                claim.setLong(1, ids.get(i));
                claim.setLong(2, rows - ids.size() + i + 2);
                claim.addBatch();
            }
            claim.executeBatch();
            query("select m.id from member m where m.id in " + in + " order by m.id for update", ids);
            query("select a.member_id from member_account a where a.member_id in " + in
                    + " order by a.member_id for update", ids);
        }

        private void checkAfter(List<Long> changed) throws Exception {
            try (PreparedStatement cameBack = db.prepareStatement(CAME_BACK + in(changed.size()))) {
                for (int p = 1; p <= 4; p++) {
                    cameBack.setTimestamp(p, cutoff);
                }
                cameBack.setDate(5, cutoffDate);
                bind(cameBack, 6, changed);
                try (ResultSet rs = cameBack.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalStateException("a member came back during the floor");
                    }
                }
            }
        }

        /** What the job's completion does in the database: the manifest's values erased, the claims deleted. */
        void complete() throws Exception {
            if (checkedExport == null) {
                return;
            }
            try (PreparedStatement erase = db.prepareStatement("""
                    update anonymisation_export_member set member_number = null, last_name = null,
                        first_name = null, status = null, last_activity = null, last_activity_kind = null,
                        months_inactive = null, fingerprint = null where export_id = ?""");
                    Statement claims = db.createStatement()) {
                erase.setLong(1, checkedExport);
                erase.executeUpdate();
                claims.execute("drop table bench_import_claim");
            }
            db.commit();
        }

        private void query(String sql, List<Long> values) throws Exception {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                bind(statement, 1, values);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
            }
        }

        private static String in(int size) {
            return "(" + String.join(",", Collections.nCopies(size, "?")) + ")";
        }

        private static void bind(PreparedStatement statement, int first, List<Long> values) throws Exception {
            int p = first;
            for (long value : values) {
                statement.setLong(p++, value);
            }
        }

        void add(long id) {
            rows++;
            ids.add(id);
            if (ids.size() == CHUNK) {
                flush();
            }
        }

        void flush() {
            if (ids.isEmpty()) {
                return;
            }
            try {
                Collections.sort(ids);
                if (checkedExport != null) {
                    checkBefore();
                }
                Timestamp now = Timestamp.valueOf(LocalDateTime.now());
                for (long id : ids) {
                    int p = 1;
                    update.setTimestamp(p++, now);
                    update.setBoolean(p++, true);
                    update.setBoolean(p++, true);
                    update.setLong(p++, id);
                    update.setLong(p++, clubId);
                    update.setTimestamp(p++, cutoff);
                    update.setTimestamp(p++, cutoff);
                    update.setTimestamp(p++, cutoff);
                    update.setTimestamp(p++, cutoff);
                    update.setTimestamp(p++, cutoff);
                    update.setDate(p, cutoffDate);
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                List<Long> changed = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        changed.add(ids.get(i));
                    }
                }
                if (!changed.isEmpty()) {
                    if (checkedExport != null) {
                        checkAfter(changed);
                    }
                    String in = in(changed.size());
                    run("update member_address set line1 = null, line2 = null, postcode = null, city = null,"
                            + " country = null where member_id in " + in, changed);
                    run("delete from member_phone where member_id in " + in, changed);
                    run("update member_consent set granted = false, updated_at = ? where member_id in " + in,
                            changed, now);
                    run("insert into retired_badge_number (badge_number, retired_at) select b.badge_number, ? from"
                            + " badge b where b.member_id in " + in + " and not exists (select 1 from"
                            + " retired_badge_number r where r.badge_number = b.badge_number)", changed, now);
                    run("update badge set status = 'RETIRED' where member_id in " + in, changed);
                    run("insert into anonymisation_ledger (member_id, club_id, import_id, anonymised_at,"
                            + " requested_by) select m.id, m.club_id, 0, ?, 'benchmark' from member m"
                            + " where m.id in " + in, changed, now);
                }
                db.commit();
                anonymised += changed.size();
                ids.clear();
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        /** {@code first} (when given) binds the first marker, then the ids. */
        private void run(String sql, List<Long> changed, Object... first) throws Exception {
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                int p = 1;
                for (Object value : first) {
                    statement.setObject(p++, value);
                }
                for (long id : changed) {
                    statement.setLong(p++, id);
                }
                statement.executeUpdate();
            }
        }
    }
}
