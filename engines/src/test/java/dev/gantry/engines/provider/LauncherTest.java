package dev.gantry.engines.provider;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each launcher's line in a job script, against a golden file. */
class LauncherTest {
    @Test
    void eachLauncherWrapsTheManagerCommand() throws Exception {
        String cmd = "gantry-manager --block 'b 1'";
        String lines = new Launcher.SingleNode().wrap(cmd, 1) + "\n"
                + new Launcher.Srun(null).wrap(cmd, 2) + "\n"
                + new Launcher.Srun("--cpu-bind=none").wrap(cmd, 2) + "\n"
                + new Launcher.MpiExec(null).wrap(cmd, 4) + "\n"
                + new Launcher.MpiExec("--bind-to none").wrap(cmd, 4) + "\n";
        Golden.check("launchers.txt", lines);
    }

    @Test
    void overridesCannotAddCommands() {
        assertThatThrownBy(() -> new Launcher.Srun("--x; rm -rf /")).hasMessageContaining("launcher overrides");
    }

    @Test
    void theLocalProvidersScriptRunsWorkerInitFirst() throws Exception {
        Golden.check(
                "local-all-options.sh",
                LocalProvider.script(new BatchOptions(null, null, "module load java/21", 0), SlurmProviderTest.JOB));
    }
}
