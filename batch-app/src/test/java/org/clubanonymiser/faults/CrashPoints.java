package org.clubanonymiser.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.batch.core.listener.ItemReadListener;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Test-only pause points for the application run as a child JVM with the test classpath (inert unless
 * {@code anonymiser.test.pause-at=<step>:<rows>} is set): once the step has read that many rows in this process, the
 * reading thread writes {@code anonymiser.test.paused-marker} and waits, inside the chunk (or the workbook render),
 * until {@code anonymiser.test.release-file} is deleted (when given) or the process is killed; bounded to 5 minutes so
 * that a forgotten child cannot outlive the build. A test waits for the marker, so the process is alive at the kill
 * point by construction, at a row the test chose (no timing window). Steps: {@code exportManifestStep} (the member
 * reader), {@code exportWorkbookStep} (the manifest reader of the render), {@code importAnonymiseStep} (the rows).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("anonymiser.test.pause-at")
class CrashPoints {

    @Bean
    static BeanPostProcessor pausePoint(@Value("${anonymiser.test.pause-at}") String pauseAt,
            @Value("${anonymiser.test.paused-marker}") Path marker,
            @Value("${anonymiser.test.release-file:}") String releaseFile) {
        String step = pauseAt.split(":")[0];
        long rows = Long.parseLong(pauseAt.split(":")[1]);
        AtomicLong read = new AtomicLong();
        Runnable onRow = () -> {
            if (read.incrementAndGet() == rows) {
                pause(marker, releaseFile.isEmpty() ? null : Path.of(releaseFile));
            }
        };
        return new BeanPostProcessor() {

            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                String reader = switch (step) {
                    case "exportManifestStep" -> "scopedTarget.exportMemberReader";
                    case "exportWorkbookStep" -> "scopedTarget.exportWorkbookRowReader";
                    default -> null;
                };
                if (beanName.equals(reader)) {
                    JdbcPagingItemReader<Object> paging = (JdbcPagingItemReader<Object>) bean;
                    RowMapper<Object> mapper = (RowMapper<Object>) ReflectionTestUtils.getField(paging, "rowMapper");
                    paging.setRowMapper((rs, rowNum) -> {
                        Object row = mapper.mapRow(rs, rowNum);
                        onRow.run();
                        return row;
                    });
                }
                if (beanName.equals(step) && bean instanceof ChunkOrientedStep<?, ?> chunkStep) {
                    ((ChunkOrientedStep<Object, Object>) chunkStep).registerItemReadListener(new ItemReadListener<>() {
                        @Override
                        public void afterRead(Object item) {
                            onRow.run();
                        }
                    });
                }
                return bean;
            }
        };
    }

    private static void pause(Path marker, Path release) {
        try {
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && (release == null || Files.exists(release))) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
