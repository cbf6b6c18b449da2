package org.clubanonymiser.launch;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The two modes (docs/operations.md#task-mode-and-server-mode). Task mode: a job name is given
 * ({@code --spring.batch.job.name}); run it and exit, as Spring Cloud Data Flow launches a task. Server mode
 * ({@code --anonymiser.mode=server}): stay up. Partition worker ({@code --anonymiser.partitioning.mode=worker}, no job
 * name): stay up, without web server, running the {@code chainExportJob} partitions the broker hands it. None of
 * these: list the jobs and exit non-zero.
 */
enum LaunchMode {

    TASK, SERVER, WORKER, NONE;

    static final String MODE_PROPERTY = "anonymiser.mode";

    static final String JOB_NAME_PROPERTY = "spring.batch.job.name";

    static final String PARTITIONING_MODE_PROPERTY = "anonymiser.partitioning.mode";

    static LaunchMode of(Environment environment) {
        if ("server".equalsIgnoreCase(environment.getProperty(MODE_PROPERTY))) {
            return SERVER;
        }
        if (StringUtils.hasText(environment.getProperty(JOB_NAME_PROPERTY))) {
            return TASK;
        }
        return "worker".equalsIgnoreCase(environment.getProperty(PARTITIONING_MODE_PROPERTY)) ? WORKER : NONE;
    }
}
