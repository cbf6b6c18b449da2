package org.clubanonymiser.importing;

import java.util.List;

import org.clubanonymiser.web.StepPause;

/**
 * The anonymising writer's hook, holding a (non dry run) import on a {@link StepPause} before each chunk that has
 * members to anonymise locks them, the earlier chunks committed (browser test).
 */
public class ImportPauseHook implements AnonymisingWriter.Hook {

    private final StepPause pause;

    public ImportPauseHook(StepPause pause) {
        this.pause = pause;
    }

    @Override
    public void beforeLock(long importId, List<Long> memberIds) {
        pause.arrive();
    }
}
