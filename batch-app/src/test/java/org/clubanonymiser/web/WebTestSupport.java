package org.clubanonymiser.web;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.clubanonymiser.web.jobs.WebJobLauncher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared by the web tests: the demo member base (demoDataJob: its users, every password {@code demo}), waiting for a
 * web-launched job to end (on its completion future, never by sleeping), and the admin's review of a downloaded
 * export (unzip, open and save with POI, optionally editing it).
 */
public final class WebTestSupport {

    public static final String PASSWORD = "demo";

    private WebTestSupport() {
    }

    /** Seeds the demo base once per database: {@code members} members over 2 clubs, as of today. */
    public static void seedDemoOnce(JdbcTemplate jdbc, JobOperator jobOperator, Job demoDataJob, long members)
            throws Exception {
        Long clubs = jdbc.queryForObject("select count(*) from club", Long.class);
        if (clubs != null && clubs > 0) {
            return;
        }
        JobExecution execution = jobOperator.start(demoDataJob, new JobParametersBuilder()
            .addString("members", Long.toString(members))
            .addString("clubs", "2")
            .addString("seed", "42")
            .toJobParameters());
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    }

    /**
     * A sign-in of a test's own, an ADMIN of {@code clubId} with {@code like}'s password hash ({@code demo}), so
     * that locking it (login throttling) or weakening its hash harms no other test.
     */
    public static void appUser(JdbcTemplate jdbc, long id, String username, String like, long clubId) {
        jdbc.update("""
                insert into app_user (id, username, display_name, password_hash, role, mass_anonymisation_granted)
                select ?, ?, 'Test user', password_hash, 'ADMIN', false from app_user where username = ?""", id,
                username, like);
        jdbc.update("insert into app_user_club (user_id, club_id) values (?, ?)", id, clubId);
    }

    /** A request from this client address (MockMvc's default is 127.0.0.1 for every request). */
    public static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    public static long clubId(JdbcTemplate jdbc, String code) {
        return jdbc.queryForObject("select id from club where code = ?", Long.class, code);
    }

    /** Waits for the end of the job that created this export or import record. */
    public static void awaitJob(JdbcTemplate jdbc, WebJobLauncher launcher, String table, long id)
            throws Exception {
        // The last execution of the record's job instance: a restart's, once restarted.
        Long execution = jdbc.queryForObject("select max(e.job_execution_id) from batch_job_execution e"
                + " join " + table + " r on r.job_instance_id = e.job_instance_id where r.id = ?", Long.class, id);
        launcher.completion(execution).get(5, TimeUnit.MINUTES);
    }

    /** The .xlsx inside a downloaded export zip. */
    public static byte[] workbookOf(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            assertThat(entry).isNotNull();
            assertThat(entry.getName()).endsWith(".xlsx");
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The admin's review: open the workbook, apply the edit, save it (POI writes different bytes even unedited). */
    public static byte[] resave(byte[] xlsx, Consumer<XSSFWorkbook> edit) {
        try (XSSFWorkbook workbook = new XSSFWorkbook(new ByteArrayInputStream(xlsx));
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            edit.accept(workbook);
            workbook.getProperties().getCoreProperties().setLastModifiedByUser("reviewer");
            workbook.write(out);
            return out.toByteArray();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Changes the last name of the first member row: that row is rejected as CONTENT_MODIFIED. */
    public static void editFirstRow(XSSFWorkbook workbook) {
        workbook.getSheet("Members").getRow(1).getCell(2).setCellValue("Edited");
    }
}
