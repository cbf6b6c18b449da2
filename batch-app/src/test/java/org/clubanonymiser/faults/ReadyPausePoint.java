package org.clubanonymiser.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test-only pause point for the application run as a child JVM with the test classpath (inert unless
 * {@code anonymiser.test.pause-when-ready} names a marker file): in task mode the ready event comes after the job has
 * completed and before the context closes, so a process paused here has committed its job and not yet closed. Before
 * it writes the marker, an H2 {@code CHECKPOINT} writes the committed state to the file, as H2's background writer
 * does within a second of any commit (a kill within that second loses the commits themselves, and with them their
 * residue). Bounded to 5 minutes so that a forgotten child cannot outlive the build.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("anonymiser.test.pause-when-ready")
class ReadyPausePoint {

    @Bean
    ApplicationListener<ApplicationReadyEvent> pauseWhenReady(@Value("${anonymiser.test.pause-when-ready}") Path marker,
            DataSource dataSource) {
        return event -> {
            new JdbcTemplate(dataSource).execute("checkpoint");
            try {
                Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            LockSupport.parkNanos(TimeUnit.MINUTES.toNanos(5));
        };
    }
}
