package org.clubanonymiser.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.jayway.jsonpath.JsonPath;
import org.clubanonymiser.AnonymiserApplication;
import org.clubanonymiser.testsupport.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload limit on a real server (the multipart limit is the servlet container's, which MockMvc does not apply),
 * with a real HTTP Basic sign-in: an upload above {@code anonymiser.import.max-file-size} is answered 413
 * {@code FILE_TOO_LARGE} and starts nothing.
 */
@SpringBootTest(classes = AnonymiserApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "anonymiser.mode=server", "server.address=127.0.0.1", "anonymiser.metrics.eligible-refresh=0",
                "anonymiser.import.max-file-size=16KB", "logging.level.org.clubanonymiser=WARN" })
@ContextConfiguration(initializers = TestDatabases.H2Initializer.class)
class WebUploadLimitTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobOperator jobOperator;

    @Autowired
    @Qualifier("demoDataJob")
    Job demoDataJob;

    @Test
    void anUploadAboveTheLimitIsRefused413AndStartsNothing() throws Exception {
        WebTestSupport.seedDemoOnce(jdbc, jobOperator, demoDataJob, 300);
        long imports = jdbc.queryForObject("select count(*) from anonymisation_import", Long.class);
        long instances = jdbc.queryForObject("select count(*) from batch_job_instance", Long.class);
        String boundary = "limit-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.xlsx\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + 64 * 1024 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        String basic = Base64.getEncoder().encodeToString(("admin.par01:" + WebTestSupport.PASSWORD)
            .getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + port + "/api/imports"))
            .header("Authorization", "Basic " + basic)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat((String) JsonPath.read(response.body(), "$.code")).isEqualTo("FILE_TOO_LARGE");
        assertThat(jdbc.queryForObject("select count(*) from anonymisation_import", Long.class)).isEqualTo(imports);
        assertThat(jdbc.queryForObject("select count(*) from batch_job_instance", Long.class)).isEqualTo(instances);
    }
}
