package dev.gantry.engines;

import java.nio.file.Path;

/** Builds the engine an endpoint's configuration names. */
public final class Engines {
    private Engines() {}

    public static Engine create(EngineConfig cfg, Path workDir) {
        return switch (cfg) {
            case EngineConfig.Thread t -> new ThreadEngine(t.maxWorkers(), workDir);
            case EngineConfig.Process p -> new ProcessEngine(p.maxWorkers(), workDir);
            case PilotConfig p -> new dev.gantry.engines.pilot.PilotEngine(p, workDir);
        };
    }
}
