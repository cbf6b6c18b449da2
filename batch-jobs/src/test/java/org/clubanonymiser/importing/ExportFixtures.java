package org.clubanonymiser.importing;

import org.clubanonymiser.export.ExportJobWorkbook;
import org.clubanonymiser.testsupport.Gnumeric;
import org.clubanonymiser.testsupport.LibreOffice;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.SheetVisibility;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.clubanonymiser.eligibility.Eligibility;
import org.clubanonymiser.eligibility.EligibilityRules;
import org.clubanonymiser.eligibility.EligibilitySql;
import org.clubanonymiser.eligibility.InactivityPeriod;
import org.clubanonymiser.eligibility.MemberActivity;
import org.clubanonymiser.support.storage.StorageLayout;
import org.clubanonymiser.support.workbook.ExportIdentity;
import org.clubanonymiser.support.workbook.ExportedRow;
import org.clubanonymiser.support.workbook.MembersSheet;
import org.clubanonymiser.support.workbook.RowFingerprint;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test stand-in for the export job (built in parallel against the shared workbook contract): seeds members with every
 * related row, records an export (record + manifest with fingerprints) exactly as the export will, writes its workbook
 * per {@link MembersSheet} / {@link ExportIdentity} (custom properties and a very hidden identity sheet) and its zip,
 * and re-saves workbooks the way an admin does: with POI (optionally editing) or with a real LibreOffice.
 */
class ExportFixtures {

    static final String ADMIN = "admin";

    static final LocalDate AS_OF = LocalDate.now();

    static final int MONTHS = 36;

    /** Old enough for every activity to be before the cutoff. */
    static final LocalDateTime LONG_AGO = AS_OF.minusYears(6).atTime(10, 30);

    private final JdbcTemplate jdbc;

    private final StorageLayout storage;

    private final Path workDir;

    ExportFixtures(JdbcTemplate jdbc, StorageLayout storage, Path workDir) {
        this.jdbc = jdbc;
        this.storage = storage;
        this.workDir = workDir;
    }

    /** Deletes every business row (the Spring Batch metadata stays: each job instance has its own parameters). */
    void clean() {
        for (String table : List.of("anonymisation_import_claim", "anonymisation_import_rejection",
                "anonymisation_ledger", "anonymisation_import", "anonymisation_export_member", "anonymisation_export",
                "retired_badge_number", "invoice", "instalment", "purchase", "booking", "visit", "badge",
                "member_account", "member_consent", "member_phone", "member_address", "member", "app_user_club",
                "app_user", "club")) {
            jdbc.update("delete from " + table);
        }
    }

    void club(long id) {
        jdbc.update("insert into club (id, code, name) values (?, ?, ?)", id, "C" + id, "Club " + id);
    }

    void user(long id, String username, String role, boolean granted, long... clubIds) {
        jdbc.update("""
                insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                values (?, ?, ?, '{noop}x', ?, ?)""", id, username, "User " + id, role, granted);
        for (long clubId : clubIds) {
            jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", id, clubId);
        }
    }

    /** Two clubs (1 and 2) and the admin of club 1. */
    void standardClubs() {
        club(1);
        club(2);
        user(1, ADMIN, "ADMIN", false, 1);
    }

    /**
     * An eligible member with every kind of related row (address, two phones, five consents, a zero balance, two
     * badges, old activity of every kind and an invoice). Related row ids derive from the member id.
     */
    void eligibleMember(long id, long clubId) {
        member(id, clubId, "FORMER_CLIENT", BigDecimal.ZERO);
    }

    void member(long id, long clubId, String status, BigDecimal balance) {
        jdbc.update("""
                insert into member (id, member_number, club_id, status, first_name, last_name, email, birth_date,
                    notes, created_at, sales_blocked, bookings_blocked)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, false)""", id, "M" + id, clubId, status,
                "First" + id, "Last" + id, "m" + id + "@example.org", Date.valueOf(LocalDate.of(1980, 1, 1)),
                "notes " + id, Timestamp.valueOf(LONG_AGO.minusYears(3)));
        jdbc.update("""
                insert into member_address (member_id, line1, line2, postcode, city, country)
                values (?, ?, ?, '75001', 'Paris', 'FR')""", id, id + " rue X", "bat " + id);
        jdbc.update("insert into member_phone (id, member_id, kind, number) values (?, ?, 'MOBILE', ?)", id * 10,
                id, "06" + id);
        jdbc.update("insert into member_phone (id, member_id, kind, number) values (?, ?, 'HOME', ?)", id * 10 + 1,
                id, "01" + id);
        for (String channel : List.of("EMAIL", "SMS", "POST", "PHONE", "PARTNERS")) {
            jdbc.update("insert into member_consent (member_id, channel, granted, updated_at) values (?, ?, ?, ?)",
                    id, channel, true, Timestamp.valueOf(LONG_AGO));
        }
        jdbc.update("insert into member_account (member_id, balance) values (?, ?)", id, balance);
        jdbc.update("insert into badge (id, badge_number, member_id, status, assigned_at) values (?, ?, ?, 'ACTIVE', ?)",
                id * 10, "B" + id + "A", id, Timestamp.valueOf(LONG_AGO));
        jdbc.update("""
                insert into badge (id, badge_number, member_id, status, assigned_at) values (?, ?, ?, 'INACTIVE', ?)""",
                id * 10 + 1, "B" + id + "B", id, Timestamp.valueOf(LONG_AGO.minusYears(1)));
        jdbc.update("insert into visit (id, member_id, club_id, visited_at) values (?, ?, ?, ?)", id * 10, id,
                clubId, Timestamp.valueOf(LONG_AGO));
        jdbc.update("""
                insert into booking (id, member_id, club_id, booked_at, starts_at, status)
                values (?, ?, ?, ?, ?, 'DONE')""", id * 10, id, clubId, Timestamp.valueOf(LONG_AGO.minusDays(3)),
                Timestamp.valueOf(LONG_AGO.minusDays(1)));
        jdbc.update("insert into purchase (id, member_id, club_id, purchased_at, amount) values (?, ?, ?, ?, ?)",
                id * 10, id, clubId, Timestamp.valueOf(LONG_AGO.minusDays(10)), new BigDecimal("49.90"));
        jdbc.update("insert into instalment (id, member_id, due_date, amount, status) values (?, ?, ?, ?, 'PAID')",
                id * 10, id, Date.valueOf(LONG_AGO.toLocalDate().minusMonths(1)), new BigDecimal("29.90"));
        jdbc.update("""
                insert into invoice (id, member_id, invoice_number, issued_at, amount) values (?, ?, ?, ?, ?)""",
                id * 10, id, "INV" + id, Timestamp.valueOf(LONG_AGO.minusDays(10)), new BigDecimal("49.90"));
    }

    /** A recorded, COMPLETED export of these members of a club, with its workbook and zip. */
    record Export(long id, long clubId, Path workbook, Path zip, ExportIdentity identity) {
    }

    Export export(long clubId, List<Long> memberIds) {
        return export(clubId, memberIds, LocalDateTime.now().withNano(0), false);
    }

    /**
     * @param streaming write with SXSSF and a shared-strings table (the layout of a spreadsheet application's save)
     */
    Export export(long clubId, List<Long> memberIds, LocalDateTime createdAt, boolean streaming) {
        return export(clubId, memberIds, createdAt,
                (workbook, identity, rows) -> writeWorkbook(workbook, identity, rows, streaming));
    }

    /** An export whose workbook is rendered by the export job's own writer: the file an admin downloads. */
    Export exportAsTheExportJob(long clubId, List<Long> memberIds) {
        return export(clubId, memberIds, LocalDateTime.now().withNano(0), ExportJobWorkbook::write);
    }

    private interface WorkbookRendering {

        void write(Path workbook, ExportIdentity identity, List<ExportedRow> rows);
    }

    private Export export(long clubId, List<Long> memberIds, LocalDateTime createdAt, WorkbookRendering rendering) {
        InactivityPeriod period = new InactivityPeriod(AS_OF, MONTHS);
        String name = "export-" + System.nanoTime();
        Long exportId = jdbc.queryForObject("select coalesce(max(id), 0) + 1 from anonymisation_export", Long.class);
        jdbc.update("""
                insert into anonymisation_export (id, name, club_id, inactivity_months, as_of, cutoff, requested_by,
                    status, members_scanned, members_eligible, row_count, file_name, format_version, created_at,
                    completed_at)
                values (?, ?, ?, ?, ?, ?, ?, 'RUNNING', 0, 0, ?, ?, ?, ?, ?)""", exportId, name, clubId, MONTHS,
                Date.valueOf(AS_OF), Date.valueOf(period.cutoff()), ADMIN, memberIds.size(), name + ".zip",
                MembersSheet.FORMAT_VERSION, Timestamp.valueOf(createdAt), Timestamp.valueOf(createdAt));
        List<ExportedRow> rows = new ArrayList<>();
        for (long memberId : memberIds) {
            ExportedRow row = exportedRow(memberId, period);
            rows.add(row);
            jdbc.update("""
                    insert into anonymisation_export_member (export_id, member_id, member_number, last_name,
                        first_name, status, last_activity, last_activity_kind, months_inactive, fingerprint)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", exportId, memberId, row.memberNumber(), row.lastName(),
                    row.firstName(), row.status(), row.lastActivity() == null ? null : Date.valueOf(row.lastActivity()),
                    row.lastActivityKind(), row.monthsInactive(), RowFingerprint.of(exportId, row));
        }
        ExportIdentity identity = new ExportIdentity(exportId, clubId, "C" + clubId, AS_OF, period.cutoff(), MONTHS,
                rows.size(), createdAt, MembersSheet.FORMAT_VERSION);
        Path workbook = workDir.resolve(name + ".xlsx");
        rendering.write(workbook, identity, rows);
        Path zip = storage.exportsDir().resolve(name + ".zip");
        zip(workbook, zip);
        jdbc.update("""
                update anonymisation_export set status = 'COMPLETED', workbook_checksum = ?, file_checksum = ?,
                    members_eligible = ?
                where id = ?""", sha256(workbook), sha256(zip), rows.size(), exportId);
        return new Export(exportId, clubId, workbook, zip, identity);
    }

    private ExportedRow exportedRow(long memberId, InactivityPeriod period) {
        return jdbc.queryForObject("select " + EligibilitySql.MEMBER_ACTIVITY_COLUMNS + " from member m where m.id = ?",
                (rs, n) -> {
                    MemberActivity activity = MemberActivity.of(rs);
                    Eligibility eligibility = new EligibilityRules().evaluate(activity, period);
                    return new ExportedRow(memberId, rs.getString("member_number"), rs.getString("last_name"),
                            rs.getString("first_name"), rs.getString("status"), eligibility.lastActivity(),
                            eligibility.lastActivityKind().name(), eligibility.monthsInactive());
                }, memberId);
    }

    /** The workbook as the export contract says; rows may be supplied directly (benchmarks). */
    static void writeWorkbook(Path target, ExportIdentity identity, Iterable<ExportedRow> rows, boolean streaming) {
        try (Workbook workbook = streaming ? new SXSSFWorkbook(null, 100, true, true) : new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(target)) {
            CellStyle dateStyle = workbook.createCellStyle();
            dateStyle.setDataFormat(workbook.createDataFormat().getFormat(MembersSheet.DATE_FORMAT));
            Sheet sheet = workbook.createSheet(MembersSheet.SHEET_NAME);
            Row header = sheet.createRow(0);
            for (int i = 0; i < MembersSheet.HEADERS.size(); i++) {
                header.createCell(i).setCellValue(MembersSheet.HEADERS.get(i));
            }
            int next = 1;
            for (ExportedRow row : rows) {
                Row r = sheet.createRow(next++);
                r.createCell(MembersSheet.COL_MEMBER_ID).setCellValue(row.memberId());
                r.createCell(MembersSheet.COL_MEMBER_NUMBER).setCellValue(row.memberNumber());
                r.createCell(MembersSheet.COL_LAST_NAME).setCellValue(row.lastName());
                r.createCell(MembersSheet.COL_FIRST_NAME).setCellValue(row.firstName());
                r.createCell(MembersSheet.COL_STATUS).setCellValue(row.status());
                if (row.lastActivity() != null) {
                    var cell = r.createCell(MembersSheet.COL_LAST_ACTIVITY);
                    cell.setCellValue(row.lastActivity());
                    cell.setCellStyle(dateStyle);
                }
                r.createCell(MembersSheet.COL_LAST_ACTIVITY_KIND).setCellValue(row.lastActivityKind());
                r.createCell(MembersSheet.COL_MONTHS_INACTIVE).setCellValue(row.monthsInactive());
            }
            Sheet identitySheet = workbook.createSheet(MembersSheet.IDENTITY_SHEET_NAME);
            int i = 0;
            for (Map.Entry<String, String> entry : identity.toProperties().entrySet()) {
                Row r = identitySheet.createRow(i++);
                r.createCell(0).setCellValue(entry.getKey());
                r.createCell(1).setCellValue(entry.getValue());
            }
            workbook.setSheetVisibility(1, SheetVisibility.VERY_HIDDEN);
            XSSFWorkbook xssf = workbook instanceof SXSSFWorkbook sxssf ? sxssf.getXSSFWorkbook()
                    : (XSSFWorkbook) workbook;
            identity.toProperties().forEach(xssf.getProperties().getCustomProperties()::addProperty);
            workbook.write(out);
            if (workbook instanceof SXSSFWorkbook sxssf) {
                sxssf.dispose();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void zip(Path workbook, Path zip) {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(workbook.getFileName().toString()));
            Files.copy(workbook, out);
            out.closeEntry();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Opens, optionally edits, and saves the workbook as POI does (different bytes even without an edit). */
    Path resaveWithPoi(Path source, Consumer<XSSFWorkbook> edit) {
        Path target = workDir.resolve("poi-" + System.nanoTime() + "-" + source.getFileName());
        try (InputStream in = Files.newInputStream(source); XSSFWorkbook workbook = new XSSFWorkbook(in);
                OutputStream out = Files.newOutputStream(target)) {
            edit.accept(workbook);
            workbook.getProperties().getCoreProperties().setLastModifiedByUser("reviewer");
            workbook.write(out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return target;
    }

    Path resaveWithPoi(Path source) {
        return resaveWithPoi(source, workbook -> {
        });
    }

    /** A real re-save: LibreOffice Calc opens the workbook and saves it as .xlsx again. */
    Path resaveWithLibreOffice(Path source) {
        return LibreOffice.resave(source, workDir);
    }

    /** Another real re-save: Gnumeric opens the workbook and saves it as .xlsx again ({@code ssconvert}). */
    Path resaveWithGnumeric(Path source) {
        return Gnumeric.resave(source, workDir);
    }

    static String sha256(Path file) {
        try {
            return ImportJobParameters.sha256(file);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
