package org.clubanonymiser.partitioning;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.jms.JMSContext;

import org.clubanonymiser.AnonymiserApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code chainExportJob} with remote partitioning for real: an Artemis broker embedded in this JVM on a loopback TCP
 * acceptor, an H2 file database served over TCP, two worker JVMs and a manager JVM (the application with the test
 * classpath, as child processes). One club's partition fails on its worker (test hook: a marker file); the job ends
 * FAILED and the manager exits non-zero. The same command again: only that club's partition is sent again, the job
 * completes, exit 0. Then: every club exported exactly once (one record, one manifest, one file, every member scanned
 * once), each as {@code exportJob} exports it alone, every partition run by one of the two workers (their process ids
 * recorded in the partitions' contexts), and both workers got work (made certain by a rendezvous: each worker holds its
 * first partition until the other holds one).
 */
class ChainExportRemotePartitioningTests {

    static final String AS_OF = "2026-01-15";

    static final String QUEUE = "anonymiser.chain-export.requests";

    static final int CLUBS = 4;

    static final Pattern WORKER_PID = Pattern.compile("chainExportJob\\.worker\\.pid\\D*(\\d+)");

    Path workDir;

    Path storage;

    Server database;

    String databaseUrl;

    EmbeddedActiveMQ broker;

    int brokerPort;

    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void databaseAndBroker() throws Exception {
        workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "partitioning-tests")), "run-")
            .toAbsolutePath();
        storage = workDir.resolve("storage");
        database = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", workDir.resolve("db").toString())
            .start();
        databaseUrl = "jdbc:h2:tcp://localhost:" + database.getPort() + "/anonymiser";
        brokerPort = freePort();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
            .setSecurityEnabled(false)
            .setJournalDirectory(workDir.resolve("broker").toString())
            .addAcceptorConfiguration("loopback", "tcp://127.0.0.1:" + brokerPort))
            .start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        broker.stop();
        database.stop();
    }

    @Test
    void twoWorkersExportEveryClubOnceAndARestartSendsOnlyTheFailedClubAgain() throws Exception {
        assertThat(AnonymiserApplication.run(arguments("--spring.batch.job.name=demoDataJob", "members=2000",
                "clubs=" + CLUBS, "seed=7", "asOf=" + AS_OF))).isZero();
        long failingClub = 2;
        Path marker = Files.writeString(workDir.resolve("fail-club"), Long.toString(failingClub));

        Path rendezvous = workDir.resolve("rendezvous");
        Process workerA = start("worker-a", "--anonymiser.partitioning.mode=worker",
                "--anonymiser.test.fail-club-marker=" + marker, "--anonymiser.test.worker-rendezvous=" + rendezvous);
        Process workerB = start("worker-b", "--anonymiser.partitioning.mode=worker",
                "--anonymiser.test.fail-club-marker=" + marker, "--anonymiser.test.worker-rendezvous=" + rendezvous);
        awaitConsumers(2, workerA, workerB);
        refusesAnObjectMessage(workerA, workerB);
        String[] chainExport = { "--spring.batch.job.name=chainExportJob", "--anonymiser.partitioning.mode=manager",
                "--anonymiser.partitioning.poll-interval=200ms",
                "inactivityMonths=36", "exportName=nightly", "requestedBy=admin.multi", "asOf=" + AS_OF };

        Process failed = start("manager-1", chainExport);
        assertThat(failed.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(failed.exitValue()).as("a failed job exits 1").isEqualTo(1);
        assertThat(strings("select status from batch_job_execution order by job_execution_id desc").get(0))
            .isEqualTo("FAILED");
        Map<String, String> firstRun = partitionStatuses(lastExecution());
        assertThat(firstRun).containsEntry("exportManifestStep:club-" + failingClub, "FAILED")
            .doesNotContainKey("chainExportWorkbookStep");
        for (long club = 1; club <= CLUBS; club++) {
            if (club != failingClub) {
                assertThat(firstRun).containsEntry("exportManifestStep:club-" + club, "COMPLETED");
            }
        }

        Files.delete(marker);
        Process restarted = start("manager-2", chainExport);
        assertThat(restarted.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(restarted.exitValue()).isZero();

        // One job instance, two executions: the second sent only the failed club's manifest partition again.
        assertThat(count("select count(*) from batch_job_instance where job_name = 'chainExportJob'")).isOne();
        assertThat(strings("""
                select e.status from batch_job_execution e join batch_job_instance i
                    on i.job_instance_id = e.job_instance_id
                where i.job_name = 'chainExportJob' order by e.job_execution_id""")).containsExactly("FAILED",
                        "COMPLETED");
        Map<String, String> secondRun = partitionStatuses(lastExecution());
        assertThat(secondRun.keySet().stream().filter(name -> name.startsWith("exportManifestStep:")))
            .containsExactly("exportManifestStep:club-" + failingClub);
        assertThat(secondRun).containsEntry("chainExportWorkbookStep", "COMPLETED");
        assertThat(secondRun.values()).containsOnly("COMPLETED");
        for (long club = 1; club <= CLUBS; club++) {
            for (String step : List.of("exportManifestStep", "exportWorkbookStep")) {
                assertThat(count("select count(*) from batch_step_execution where status = 'COMPLETED'"
                        + " and step_name = '" + step + ":club-" + club + "'")).as(step + " of club " + club).isOne();
            }
        }

        // Each club exported exactly once: one record, every member scanned once, one file.
        List<String> exports = strings("""
                select club_id || ':' || status || ':' || members_scanned || ':' || members_eligible || ':'
                    || row_count || ':' || file_name || ':' || id
                from anonymisation_export where name = 'nightly' order by club_id""");
        assertThat(exports).hasSize(CLUBS);
        for (int i = 0; i < CLUBS; i++) {
            String[] export = exports.get(i).split(":");
            long club = i + 1;
            assertThat(export[0]).isEqualTo(Long.toString(club));
            assertThat(export[1]).isEqualTo("COMPLETED");
            assertThat(Long.parseLong(export[2]))
                .isEqualTo(count("select count(*) from member where club_id = " + club));
            assertThat(export[3]).isEqualTo(export[4]).isNotEqualTo("0");
            assertThat(count("select count(*) from anonymisation_export_member where export_id = " + export[6]))
                .isEqualTo(Long.parseLong(export[3]));
            assertThat(storage.resolve("exports").resolve(export[5])).isRegularFile();
        }
        try (Stream<Path> files = Files.list(storage.resolve("exports"))) {
            assertThat(files.count()).isEqualTo(CLUBS);
        }

        // Every partition ran on one of the two workers, and both got work: each held its first partition until the
        // other held one too (WorkerRendezvous), so neither could take every request.
        assertThat(rendezvous.toFile().list()).containsExactlyInAnyOrder(Long.toString(workerA.pid()),
                Long.toString(workerB.pid()));
        List<Long> workers = partitionWorkers();
        assertThat(workers).hasSize(2 * CLUBS + 1);
        assertThat(Set.copyOf(workers)).containsExactlyInAnyOrder(workerA.pid(), workerB.pid());

        // As exportJob exports a club alone (same eligible members, same values).
        for (long club : List.of(1L, failingClub)) {
            assertThat(AnonymiserApplication.run(arguments("--spring.batch.job.name=exportJob", "clubId=" + club,
                    "inactivityMonths=36", "exportName=alone", "requestedBy=admin.multi", "asOf=" + AS_OF)))
                .isZero();
            assertThat(manifest("nightly", club)).isNotEmpty().isEqualTo(manifest("alone", club));
        }
        try (Stream<Path> tmp = Files.walk(storage.resolve("tmp"))) {
            assertThat(tmp.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".lock")))
                .isEmpty();
        }
    }

    /**
     * A sender on the queue delivers a serialised object (a "gadget" whose deserialisation leaves a mark) instead of
     * a map message: a worker refuses it without deserialising it, says so, and goes on working.
     */
    void refusesAnObjectMessage(Process... workers) throws Exception {
        Path mark = workDir.resolve("gadget-deserialised");
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
                JMSContext context = factory.createContext()) {
            context.createProducer().send(context.createQueue(QUEUE), new Gadget(mark.toString()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!workerLogs(workers).contains("only map messages are accepted") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(workerLogs(workers)).contains("Refused a ActiveMQObjectMessage on the chain-export queue");
        // Dropped once refused (consumed, not redelivered in a loop), and never deserialised.
        Queue queue = broker.getActiveMQServer().locateQueue(QUEUE);
        while (queue.getMessageCount() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(queue.getMessageCount()).isZero();
        assertThat(queue.getMessagesAcknowledged()).isOne();
        assertThat(mark).doesNotExist();
    }

    String workerLogs(Process... workers) throws IOException {
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> files = Files.list(workDir)) {
            for (Path log : files.filter(f -> f.getFileName().toString().startsWith("worker-")).toList()) {
                logs.append(Files.readString(log));
            }
        }
        return logs.toString();
    }

    /** What an attacker would send: its deserialisation runs code (here, harmlessly, it writes a file). */
    static final class Gadget implements Serializable {

        private static final long serialVersionUID = 1L;

        private final String mark;

        Gadget(String mark) {
            this.mark = mark;
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            Files.writeString(Path.of(mark), "deserialised");
        }
    }

    /** The process id of the worker that ran each partition step execution, over both executions. */
    List<Long> partitionWorkers() throws SQLException {
        List<Long> workers = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        select s.step_name, c.short_context from batch_step_execution s
                        join batch_step_execution_context c on c.step_execution_id = s.step_execution_id
                        where s.step_name like 'export%:club-%'""")) {
            while (rs.next()) {
                Matcher pid = WORKER_PID.matcher(rs.getString(2));
                assertThat(pid.find()).as("worker pid of " + rs.getString(1) + " in " + rs.getString(2)).isTrue();
                workers.add(Long.parseLong(pid.group(1)));
            }
        }
        return workers;
    }

    List<String> manifest(String exportName, long club) throws SQLException {
        return strings("""
                select m.member_id || ':' || m.member_number || ':' || m.status || ':' || m.last_activity_kind || ':'
                    || m.months_inactive || ':' || coalesce(cast(m.last_activity as varchar), '-')
                from anonymisation_export_member m join anonymisation_export e on e.id = m.export_id
                where e.name = '%s' and e.club_id = %d order by m.member_id""".formatted(exportName, club));
    }

    Map<String, String> partitionStatuses(long jobExecutionId) throws SQLException {
        Map<String, String> statuses = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select step_name, status from batch_step_execution"
                        + " where job_execution_id = " + jobExecutionId)) {
            while (rs.next()) {
                statuses.put(rs.getString(1), rs.getString(2));
            }
        }
        return statuses;
    }

    long lastExecution() throws SQLException {
        return count("select max(job_execution_id) from batch_job_execution");
    }

    /**
     * Waits (bounded: a hang guard, not a speed target; two JVMs starting on a loaded 2-core machine took over 90 s)
     * until the workers consume the request queue, failing at once if one has died.
     */
    void awaitConsumers(int expected, Process... workers) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            for (Process worker : workers) {
                assertThat(worker.isAlive()).as("worker " + worker.pid() + " is up").isTrue();
            }
            Queue queue = broker.getActiveMQServer().locateQueue(QUEUE);
            if (queue != null && queue.getConsumerCount() >= expected) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException("The workers did not start consuming " + QUEUE);
    }

    Process start(String name, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), AnonymiserApplication.class.getName()));
        command.addAll(List.of(arguments(arguments)));
        command.add("--logging.level.org.clubanonymiser.export=INFO");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(workDir.resolve(name + ".log").toFile())
            .directory(workDir.toFile())
            .start();
        processes.add(process);
        return process;
    }

    String[] arguments(String... arguments) {
        List<String> all = new ArrayList<>(List.of(arguments));
        all.add("--spring.datasource.url=" + databaseUrl);
        all.add("--anonymiser.storage-dir=" + storage);
        all.add("--anonymiser.export.chunk-size=100");
        all.add("--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort + "?consumerWindowSize=0");
        all.add("--logging.level.root=WARN");
        return all.toArray(String[]::new);
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(strings(sql).get(0));
    }

    List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "sa", "");
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
