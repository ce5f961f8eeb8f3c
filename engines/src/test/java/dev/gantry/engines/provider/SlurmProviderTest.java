package dev.gantry.engines.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Slurm provider's pure parts against golden files: every option in the script, argv and parsers. */
class SlurmProviderTest {
    static final BlockJob JOB = new BlockJob(
            "gantry-ep-3",
            "gantry-manager --interchange 10.0.0.1:5000",
            2,
            Path.of("/home/u/.gantry/endpoints/ep/blocks"));
    static final SlurmProvider SLURM =
            new SlurmProvider(new SlurmProvider.Options(null, null, null, null, null, null, null, null, null), null);

    @Test
    void theScriptOfTheDefaults() throws Exception {
        SlurmProvider.Options o = new SlurmProvider.Options(null, null, null, null, null, null, null, null, null);
        Golden.check("slurm-defaults.sh", new SlurmProvider(o, null).script(JOB));
    }

    @Test
    void theScriptWithEveryOption() throws Exception {
        SlurmProvider.Options o = new SlurmProvider.Options(
                "debug",
                "proj-42",
                "high",
                "haswell&ib",
                false,
                32,
                64,
                4,
                new BatchOptions(
                        "02:00:00",
                        "#SBATCH --mail-type=NONE\n\n#SBATCH --licenses=scratch",
                        "module load java/21\nexport X=1",
                        60));
        Golden.check("slurm-all-options.sh", new SlurmProvider(o, null).script(JOB));
    }

    @Test
    void argvOfEachVerb() throws Exception {
        String argv = String.join(" ", SLURM.submitArgv(Path.of("/b/gantry-ep-3.submit"))) + "\n"
                + String.join(" ", SLURM.statusArgv(List.of("101", "102"))) + "\n"
                + String.join(" ", SLURM.cancelArgv(List.of("101", "102"))) + "\n";
        Golden.check("slurm-argv.txt", argv);
    }

    @Test
    void sbatchOutputIsParsed() throws Exception {
        assertThat(SLURM.parseSubmit("4242\n")).isEqualTo("4242");
        assertThat(SLURM.parseSubmit("4242;cluster2\n")).isEqualTo("4242");
        assertThatThrownBy(() -> SLURM.parseSubmit("sbatch: error: Batch job submission failed"))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("no job id");
    }

    @Test
    void squeueOutputIsParsedAndAMissingJobHasEnded() throws Exception {
        String out = new String(
                getClass().getResourceAsStream("/golden/squeue-output.txt").readAllBytes());
        Map<String, JobStatus> s = SLURM.parseStatus(out, List.of("101", "102", "103", "104", "105", "106", "999"));
        assertThat(s.get("101")).isEqualTo(new JobStatus(JobState.PENDING, "Resources"));
        assertThat(s.get("102").state()).isEqualTo(JobState.RUNNING);
        assertThat(s.get("103").state()).isEqualTo(JobState.CANCELLED);
        assertThat(s.get("104").state()).isEqualTo(JobState.TIMEOUT);
        assertThat(s.get("105").state()).isEqualTo(JobState.FAILED);
        assertThat(s.get("106").state()).isEqualTo(JobState.RUNNING);
        assertThat(s.get("999").state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void valuesThatCouldAddAScriptLineAreRefused() {
        assertThatThrownBy(() -> new SlurmProvider.Options(
                        "debug\n#SBATCH --uid=0", null, null, null, null, null, null, null, null))
                .hasMessageContaining("partition");
        assertThatThrownBy(() -> new SlurmProvider.Options(
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                new BatchOptions(null, "rm -rf /", null, 0))
                        .batch()
                        .directives("#SBATCH"))
                .hasMessageContaining("scheduler_options");
        assertThatThrownBy(() -> new BatchOptions("two hours", null, null, 0)).hasMessageContaining("walltime");
        assertThatThrownBy(() -> new SlurmProvider.Options(null, null, null, null, null, 0, null, null, null))
                .hasMessageContaining("cores_per_node");
    }
}
