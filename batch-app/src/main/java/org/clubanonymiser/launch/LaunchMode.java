package org.clubanonymiser.launch;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * SPEC §5's two modes. Task mode: a job name is given ({@code --spring.batch.job.name}); run it and exit, as Spring
 * Cloud Data Flow launches a task. Server mode ({@code --anonymiser.mode=server}): stay up. Neither: list the jobs
 * and exit non-zero.
 */
enum LaunchMode {

    TASK, SERVER, NONE;

    static final String MODE_PROPERTY = "anonymiser.mode";

    static final String JOB_NAME_PROPERTY = "spring.batch.job.name";

    static LaunchMode of(Environment environment) {
        if ("server".equalsIgnoreCase(environment.getProperty(MODE_PROPERTY))) {
            return SERVER;
        }
        return StringUtils.hasText(environment.getProperty(JOB_NAME_PROPERTY)) ? TASK : NONE;
    }
}
