package org.clubanonymiser.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.clubanonymiser.chainexport.ClubPartitioner;

import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Test-only fault injection for the application run as a child JVM with the test classpath (inert unless
 * {@code anonymiser.test.fail-club-marker} is set): while the marker file exists, the member reader of the
 * {@code chainExportJob} partition of the club it names fails on its first row. The test deletes the file before the
 * restart.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("anonymiser.test.fail-club-marker")
class WorkerFaults {

    static final class InjectedFailure extends RuntimeException {

        InjectedFailure(String message) {
            super(message);
        }
    }

    @Bean
    static BeanPostProcessor failingClubReader(@Value("${anonymiser.test.fail-club-marker}") Path marker) {
        return new BeanPostProcessor() {

            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (beanName.equals("scopedTarget.exportMemberReader") && failsHere(marker)) {
                    ((JdbcPagingItemReader<MemberActivityRow>) bean).setRowMapper((rs, rowNum) -> {
                        throw new InjectedFailure("Injected failure of a club's partition");
                    });
                }
                return bean;
            }
        };
    }

    private static boolean failsHere(Path marker) {
        StepContext step = StepSynchronizationManager.getContext();
        if (step == null || !Files.exists(marker)) {
            return false;
        }
        try {
            String clubId = Files.readString(marker).strip();
            return step.getStepName().endsWith(":" + ClubPartitioner.PARTITION_PREFIX + clubId);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
