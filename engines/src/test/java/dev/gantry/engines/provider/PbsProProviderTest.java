package dev.gantry.engines.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PBS Pro provider's pure parts against golden files: every option in the script, argv and parsers. */
class PbsProProviderTest {
    static final PbsProProvider PBS =
            new PbsProProvider(new PbsProProvider.Options(null, null, null, null, null), null);

    @Test
    void theScriptOfTheDefaults() throws Exception {
        PbsProProvider.Options o = new PbsProProvider.Options(null, null, null, null, null);
        Golden.check("pbspro-defaults.sh", new PbsProProvider(o, null).script(SlurmProviderTest.JOB));
    }

    @Test
    void theScriptWithEveryOption() throws Exception {
        PbsProProvider.Options o = new PbsProProvider.Options(
                "workq",
                "proj-42",
                "ngpus=1:mem=64gb",
                16,
                new BatchOptions("01:00:00", "#PBS -l filesystems=home\n#PBS -j oe", "source ~/env.sh", 45));
        Golden.check("pbspro-all-options.sh", new PbsProProvider(o, null).script(SlurmProviderTest.JOB));
    }

    @Test
    void argvOfEachVerb() throws Exception {
        String argv = String.join(" ", PBS.submitArgv(Path.of("/b/gantry-ep-3.submit"))) + "\n"
                + String.join(" ", PBS.statusArgv(List.of("7.pbs", "8.pbs"))) + "\n"
                + String.join(" ", PBS.cancelArgv(List.of("7.pbs", "8.pbs"))) + "\n";
        Golden.check("pbspro-argv.txt", argv);
    }

    @Test
    void qsubAndQstatOutputAreParsed() throws Exception {
        assertThat(PBS.parseSubmit("1234.pbs-server\n")).isEqualTo("1234.pbs-server");
        assertThatThrownBy(() -> PBS.parseSubmit("qsub: Unknown queue")).isInstanceOf(ProviderException.class);
        String out = new String(
                getClass().getResourceAsStream("/golden/qstat-output.json").readAllBytes());
        Map<String, JobStatus> s = PBS.parseStatus(out, List.of("1.pbs", "2.pbs", "3.pbs", "4.pbs", "5.pbs", "6.pbs"));
        assertThat(s.get("1.pbs"))
                .isEqualTo(new JobStatus(JobState.PENDING, "Not Running: Insufficient amount of resource: ncpus"));
        assertThat(s.get("2.pbs").state()).isEqualTo(JobState.RUNNING);
        assertThat(s.get("3.pbs").state()).isEqualTo(JobState.COMPLETED);
        assertThat(s.get("4.pbs").state()).isEqualTo(JobState.CANCELLED);
        assertThat(s.get("5.pbs").state()).isEqualTo(JobState.FAILED);
        assertThat(s.get("6.pbs").state()).as("not listed: ended").isEqualTo(JobState.COMPLETED);
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> new PbsProProvider.Options("q; rm -rf /", null, null, null, null))
                .hasMessageContaining("queue");
        assertThatThrownBy(() -> new PbsProProvider.Options(null, null, null, 0, null))
                .hasMessageContaining("cpus_per_node");
    }
}
