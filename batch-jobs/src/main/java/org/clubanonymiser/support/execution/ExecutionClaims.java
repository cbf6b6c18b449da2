package org.clubanonymiser.support.execution;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Set;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.clubanonymiser.support.execution.ExecutionRecovery.ExecutionStillRunningException;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * At most one running execution per job instance, whatever the number of launchers. Spring Batch 6's launcher looks
 * at the instance's last execution and then creates the new one, in separate transactions: two launches of the same
 * job with the same parameters at the same moment (two threads, two JVMs, a Data Flow retry and an operator) can
 * both pass the check and run side by side. This post-processor wraps the {@link JobRepository} bean:
 * <ul>
 * <li>right after {@code createJobExecution}, the new execution claims its instance in {@code job_instance_run}
 * (primary key: the instance), taking over a claim whose execution no longer runs (ended, stopped, or recovered after
 * a crash); if another live execution holds it, the new execution is deleted again (no trace in the metadata, so the
 * running one stays the instance's last) and the launch fails with {@link ExecutionStillRunningException} before any
 * listener or step ran;</li>
 * <li>a {@code createJobInstance} that loses the race for a new instance (Spring Batch's unique key on name and
 * parameters, a serialization failure on PostgreSQL, "JobInstance must not already exist" on H2), and a
 * {@code createJobExecution} refused by PostgreSQL's SERIALIZABLE isolation, are refused the same way, and so is a
 * launch that finds the instance another launcher has just created but not yet given an execution (where Spring
 * Batch would fail with "Cannot find any job execution");</li>
 * <li>{@code update(JobExecution)} with an ended status releases the claim.</li>
 * </ul>
 * The claims hold ids and a time only. Thread-safe.
 */
public class ExecutionClaims implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ExecutionClaims.class);

    private static final Set<BatchStatus> RUNNING = Set.of(BatchStatus.STARTING, BatchStatus.STARTED,
            BatchStatus.STOPPING);

    private final ObjectProvider<JdbcTemplate> jdbcTemplate;

    private final ObjectProvider<Clock> clock;

    public ExecutionClaims(ObjectProvider<JdbcTemplate> jdbcTemplate, ObjectProvider<Clock> clock) {
        this.jdbcTemplate = jdbcTemplate;
        this.clock = clock;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return InterfaceProxy.advised(bean, JobRepository.class, Claiming::new);
    }

    /**
     * Claims the execution's instance for it. The claim lives in the product database, the executions in the job
     * repository, which may be another database with other table prefixes (Data Flow's {@code BOOT3_BATCH_*}): the
     * holder's status is read through the repository, and the take-over is a compare-and-set on the holder seen.
     *
     * @return {@code true} when claimed, {@code false} when another execution that is still running holds it
     */
    boolean claim(JobRepository repository, long jobInstanceId, long jobExecutionId) {
        JdbcTemplate jdbc = jdbcTemplate.getObject();
        for (int attempt = 0; attempt < 5; attempt++) {
            Timestamp now = Timestamp.from(clock.getIfAvailable(Clock::systemDefaultZone).instant());
            Long holder = jdbc.queryForList("select job_execution_id from job_instance_run where job_instance_id = ?",
                    Long.class, jobInstanceId).stream().findFirst().orElse(null);
            if (holder == null) {
                try {
                    jdbc.update("insert into job_instance_run (job_instance_id, job_execution_id, claimed_at)"
                            + " values (?, ?, ?)", jobInstanceId, jobExecutionId, now);
                    return true;
                }
                catch (DuplicateKeyException ex) {
                    continue; // another launch claimed it first: look at its holder
                }
            }
            if (holder == jobExecutionId) {
                return true;
            }
            JobExecution held = repository.getJobExecution(holder);
            if (held != null && RUNNING.contains(held.getStatus())) {
                return false;
            }
            // Take over a claim whose holder no longer runs, unless another launch took it over meanwhile.
            if (jdbc.update("update job_instance_run set job_execution_id = ?, claimed_at = ?"
                    + " where job_instance_id = ? and job_execution_id = ?", jobExecutionId, now, jobInstanceId,
                    holder) == 1) {
                return true;
            }
        }
        return false;
    }

    void release(long jobInstanceId, long jobExecutionId) {
        jdbcTemplate.getObject()
            .update("delete from job_instance_run where job_instance_id = ? and job_execution_id = ?", jobInstanceId,
                    jobExecutionId);
    }

    private final class Claiming implements MethodInterceptor {

        private static final Set<String> CREATE_INSTANCE = Set.of("createJobInstance");

        private final JobRepository target;

        Claiming(JobRepository target) {
            this.target = target;
        }

        private Object claimed(Object result) {
            if (result instanceof JobExecution execution) {
                long instanceId = execution.getJobInstance().getInstanceId();
                if (!claim(target, instanceId, execution.getId())) {
                    target.deleteJobExecution(execution);
                    log.warn("Job execution {} of {} refused: another execution of the same job instance is running",
                            execution.getId(), execution.getJobInstance().getJobName());
                    throw new ExecutionStillRunningException(execution.getId(), "Another execution of "
                            + execution.getJobInstance().getJobName() + " instance " + instanceId
                            + " is running: refusing to start it a second time (execution " + execution.getId()
                            + " withdrawn).");
                }
            }
            return result;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            String method = invocation.getMethod().getName();
            if (CREATE_INSTANCE.contains(method)) {
                try {
                    return invocation.proceed();
                }
                catch (DataAccessException | IllegalStateException ex) {
                    // Lost the race for a new instance: a unique key violation, a serialization failure
                    // (PostgreSQL), or Spring Batch's own "JobInstance must not already exist" (H2).
                    Object[] arguments = invocation.getArguments();
                    if (arguments.length == 2 && arguments[0] instanceof String jobName
                            && arguments[1] instanceof JobParameters parameters
                            && target.getJobInstance(jobName, parameters) != null) {
                        throw new ExecutionStillRunningException(-1, "Another launch of " + jobName
                                + " with the same parameters created its job instance at the same moment: refusing"
                                + " to start it a second time.");
                    }
                    throw ex;
                }
            }
            if ("getJobInstance".equals(method) && invocation.getArguments().length == 2) {
                Object instance = invocation.proceed();
                // How Spring Batch's launcher begins: an instance without any execution yet is one another launcher
                // has just created (Spring Batch would fail with "Cannot find any job execution").
                if (instance instanceof JobInstance found && target.getLastJobExecution(found) == null) {
                    throw new ExecutionStillRunningException(-1, "Job instance " + found.getInstanceId() + " of "
                            + found.getJobName() + " has no execution yet: another launch is creating it at this"
                            + " moment; refusing to start it a second time.");
                }
                return instance;
            }
            if ("createJobExecution".equals(method)) {
                try {
                    return claimed(invocation.proceed());
                }
                catch (ConcurrencyFailureException ex) {
                    // Spring Batch creates executions in a SERIALIZABLE transaction: PostgreSQL may refuse the
                    // second of two at once outright.
                    throw new ExecutionStillRunningException(-1, "Another launch of the same job instance is"
                            + " creating its execution at the same moment: refusing to start it a second time.");
                }
            }
            Object result = invocation.proceed();
            if ("update".equals(method) && invocation.getArguments().length == 1
                    && invocation.getArguments()[0] instanceof JobExecution execution
                    && !execution.getStatus().isRunning() && execution.getJobInstance() != null) {
                release(execution.getJobInstance().getInstanceId(), execution.getId());
            }
            return result;
        }
    }
}
