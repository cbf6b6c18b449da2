package org.clubanonymiser.walkthrough;

import java.nio.file.Path;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;

/**
 * A walkthrough refused because one already completed on this database ({@link WalkthroughOnceValidator}). Its
 * message and {@link #action()} become the launch's failure report: what happened, and the exact commands to start
 * over or to open the UI instead. Nothing personal in either.
 */
public class WalkthroughAlreadyRanException extends InvalidJobParametersException {

    private static final String JAR = "batch-app/target/club-anonymiser.jar";

    private final String action;

    WalkthroughAlreadyRanException(Path storageDir) {
        super("The walkthrough has already run on this database (storage dir " + storageDir + "). It seeds demo"
                + " data into an empty database only, so it runs once per database, whatever its parameters."
                + " Nothing was changed.");
        this.action = "Start over on a new database: delete " + storageDir + " (the embedded database and the"
                + " walkthrough's files), then run the walkthrough again:\n\n"
                + "    rm -rf " + storageDir + "\n"
                + "    java -jar " + JAR + " --spring.batch.job.name=" + WalkthroughOnceValidator.JOB_NAME + "\n\n"
                + "Or open the admin UI on what it made:\n\n"
                + "    java -jar " + JAR + " --anonymiser.mode=server\n\n"
                + "then open http://localhost:8080 and sign in as admin.multi / demo.\n"
                + "(With a database of your own, point spring.datasource.url at an empty one to start over.)";
    }

    /** What to do instead, for the failure report's "Action". */
    public String action() {
        return action;
    }
}
