package dev.gantry.engines;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.gantry.engines.provider.Launcher;

/** The provider's {@code launcher} block: how a block starts one manager per node. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LauncherConfig.SingleNode.class, name = "single_node"),
    @JsonSubTypes.Type(value = LauncherConfig.Srun.class, name = "srun"),
    @JsonSubTypes.Type(value = LauncherConfig.MpiExec.class, name = "mpiexec")
})
public sealed interface LauncherConfig {

    Launcher create();

    record SingleNode() implements LauncherConfig {
        @Override
        public Launcher create() {
            return new Launcher.SingleNode();
        }
    }

    record Srun(String overrides) implements LauncherConfig {
        public Srun {
            create();
        }

        @Override
        public Launcher create() {
            return new Launcher.Srun(overrides);
        }
    }

    record MpiExec(String overrides) implements LauncherConfig {
        public MpiExec {
            create();
        }

        @Override
        public Launcher create() {
            return new Launcher.MpiExec(overrides);
        }
    }
}
