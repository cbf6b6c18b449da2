package org.clubanonymiser.export;

import org.clubanonymiser.web.StepPause;

/** The export's progress hook, holding the export on a {@link StepPause} (browser test). */
public class ExportPauseHook implements ExportProgressListener.Hook {

    private final StepPause pause;

    public ExportPauseHook(StepPause pause) {
        this.pause = pause;
    }

    @Override
    public void beforeChunk(long exportId) {
        pause.arrive();
    }
}
