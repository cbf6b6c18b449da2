package org.clubanonymiser.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.batch.core.listener.ItemReadListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.item.ChunkOrientedStep;
import org.springframework.batch.infrastructure.item.database.JdbcPagingItemReader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Test-only pause points for the application run as a child JVM with the test classpath (each inert unless its
 * property is set); the paused thread writes {@code anonymiser.test.paused-marker} and waits until
 * {@code anonymiser.test.release-file} is deleted (when given) or the process is killed, bounded to 5 minutes so that a
 * forgotten child cannot outlive the build. A test waits for the marker, so the process is alive at the kill point by
 * construction, at a point the test chose (no timing window).
 * <ul>
 * <li>{@code anonymiser.test.pause-at=<step>:<rows>}: once the step has read that many rows in this process, inside
 * the chunk (or the workbook render). Steps: {@code exportManifestStep} (the member reader),
 * {@code exportWorkbookStep} (the manifest reader of the render), {@code importAnonymiseStep} (the rows).</li>
 * <li>{@code anonymiser.test.pause-between-commits=<step>:<chunk>:<order>} (two databases): at the step's
 * {@code chunk}-th chunk commit in this process, between the job repository's commit (metadata database) and the
 * product database's. {@code metadata-first} is the application's own order: the job repository saves the step
 * execution inside the chunk's product transaction, in a transaction of its own on the metadata database that commits
 * at once; the pause follows that save, the product transaction still open. {@code product-first} is the other order,
 * which the application's transaction managers never produce but a chained transaction manager committing the
 * product database first would (and a metadata database restored from an older backup leaves the same state): here
 * the job repository's saves of each chunk of the step are deferred until the product transaction has committed, and
 * the pause comes between the two.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class CrashPoints {

    @Bean
    @ConditionalOnProperty("anonymiser.test.pause-at")
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

    @Bean
    @ConditionalOnProperty("anonymiser.test.pause-between-commits")
    static BeanPostProcessor pauseBetweenCommits(@Value("${anonymiser.test.pause-between-commits}") String spec,
            @Value("${anonymiser.test.paused-marker}") Path marker) {
        String[] parts = spec.split(":");
        String step = parts[0];
        long chunk = Long.parseLong(parts[1]);
        boolean productFirst = switch (parts[2]) {
            case "metadata-first" -> false;
            case "product-first" -> true;
            default -> throw new IllegalArgumentException("Unknown commit order " + parts[2]);
        };
        AtomicLong commits = new AtomicLong();
        return new BeanPostProcessor() {

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof JobRepository repository)) {
                    return bean;
                }
                return Proxy.newProxyInstance(CrashPoints.class.getClassLoader(),
                        new Class<?>[] { JobRepository.class }, (proxy, method, args) -> {
                            boolean save = method.getName().equals("update")
                                    || method.getName().equals("updateExecutionContext");
                            if (!save || args == null || args.length != 1
                                    || !(args[0] instanceof StepExecution execution)
                                    || !execution.getStepName().equals(step)
                                    || !TransactionSynchronizationManager.isActualTransactionActive()) {
                                return invoke(method, repository, args);
                            }
                            // A chunk's saves: updateExecutionContext, then update (the chunk's commit point).
                            if (!productFirst) {
                                Object result = invoke(method, repository, args);
                                if (method.getName().equals("update") && commits.incrementAndGet() == chunk) {
                                    pause(marker, null);
                                }
                                return result;
                            }
                            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

                                @Override
                                public void afterCommit() {
                                    if (method.getName().equals("updateExecutionContext")
                                            && commits.incrementAndGet() == chunk) {
                                        pause(marker, null);
                                    }
                                    try {
                                        invoke(method, repository, args);
                                    }
                                    catch (Throwable ex) {
                                        throw new IllegalStateException("The deferred job repository save failed", ex);
                                    }
                                }
                            });
                            return null;
                        });
            }
        };
    }

    /** The repository's own call, its own exception unwrapped (callers catch its types). */
    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
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
