package dev.gantry.engines.provider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks as Slurm batch jobs: {@code sbatch --parsable} a script, {@code squeue} for states, {@code scancel}.
 * The script, argv and parsers are pure functions ({@link #script}, {@link #parseSubmit}, {@link #parseStatus}),
 * tested with golden files; the provider is also tested against a real single-node Slurm.
 */
public final class SlurmProvider extends BatchScheduler {

    /** The {@code provider} block's Slurm keys. */
    public record Options(
            String partition,
            String account,
            String qos,
            String constraint,
            Boolean exclusive,
            Integer coresPerNode,
            Integer memPerNode,
            Integer gpusPerNode,
            BatchOptions batch) {
        public Options {
            BatchOptions.safe("partition", partition);
            BatchOptions.safe("account", account);
            BatchOptions.safe("qos", qos);
            BatchOptions.safe("constraint", constraint);
            exclusive = exclusive == null || exclusive;
            positive("cores_per_node", coresPerNode);
            positive("mem_per_node", memPerNode);
            positive("gpus_per_node", gpusPerNode);
            batch = batch == null ? BatchOptions.defaults() : batch;
        }

        private static void positive(String key, Integer n) {
            if (n != null && n < 1) {
                throw new IllegalArgumentException(key + " must be at least 1, got " + n);
            }
        }
    }

    private final Options options;

    public SlurmProvider(Options options, CommandRunner runner) {
        super(runner, options.batch());
        this.options = options;
    }

    @Override
    public String type() {
        return "slurm";
    }

    /** The batch script of a block. */
    @Override
    String script(BlockJob job) {
        Options o = options;
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(job.name()).append('\n');
        s.append("#SBATCH --output=")
                .append(job.dir().resolve(job.name() + ".stdout"))
                .append('\n');
        s.append("#SBATCH --error=")
                .append(job.dir().resolve(job.name() + ".stderr"))
                .append('\n');
        s.append("#SBATCH --nodes=").append(job.nodes()).append('\n');
        s.append("#SBATCH --time=").append(o.batch().walltime()).append('\n');
        s.append("#SBATCH --ntasks-per-node=1\n");
        if (o.exclusive()) {
            s.append("#SBATCH --exclusive\n");
        }
        directive(s, "--partition=", o.partition());
        directive(s, "--account=", o.account());
        directive(s, "--qos=", o.qos());
        directive(s, "--constraint=", o.constraint());
        directive(s, "--cpus-per-task=", o.coresPerNode());
        directive(s, "--mem=", o.memPerNode() == null ? null : o.memPerNode() + "g");
        directive(s, "--gpus-per-node=", o.gpusPerNode());
        s.append(o.batch().directives("#SBATCH"));
        if (!o.batch().workerInit().isEmpty()) {
            s.append(o.batch().workerInit()).append('\n');
        }
        s.append(job.command()).append('\n');
        return s.toString();
    }

    private static void directive(StringBuilder s, String flag, Object value) {
        if (value != null) {
            s.append("#SBATCH ").append(flag).append(value).append('\n');
        }
    }

    @Override
    List<String> submitArgv(Path script) {
        return List.of("sbatch", "--parsable", script.toString());
    }

    /** {@code sbatch --parsable} prints {@code jobid} or {@code jobid;cluster}. */
    @Override
    String parseSubmit(String stdout) throws ProviderException {
        String line = stdout.strip().lines().reduce((a, b) -> b).orElse("");
        String id = line.split(";")[0].strip();
        if (!id.matches("\\d+(_\\d+)?")) {
            throw new ProviderException("sbatch printed no job id: '" + stdout.strip() + "'");
        }
        return id;
    }

    @Override
    List<String> statusArgv(List<String> jobIds) {
        return List.of(
                "squeue", "--noheader", "--states=all", "--format=%i|%t|%r", "--jobs=" + String.join(",", jobIds));
    }

    /** Lines of {@code id|state|reason}; a job not listed has ended and left Slurm's memory: completed. */
    @Override
    Map<String, JobStatus> parseStatus(String stdout, List<String> jobIds) {
        Map<String, JobStatus> out = new HashMap<>();
        for (String line : stdout.strip().split("\n")) {
            String[] f = line.strip().split("\\|", 3);
            if (f.length >= 2) {
                out.put(f[0], new JobStatus(state(f[1]), f.length > 2 && !f[2].equals("None") ? f[2] : ""));
            }
        }
        Map<String, JobStatus> asked = new HashMap<>();
        jobIds.forEach(id -> asked.put(id, out.getOrDefault(id, JobStatus.of(JobState.COMPLETED))));
        return asked;
    }

    static JobState state(String code) {
        return switch (code) {
            case "PD", "CF", "RQ", "RH", "RF", "RD", "S", "ST" -> JobState.PENDING;
            case "R", "CG", "SI", "SO", "RS" -> JobState.RUNNING;
            case "CD" -> JobState.COMPLETED;
            case "CA" -> JobState.CANCELLED;
            case "TO", "DL" -> JobState.TIMEOUT;
            case "F", "NF", "BF", "OOM", "PR", "RV", "SE" -> JobState.FAILED;
            default -> JobState.UNKNOWN;
        };
    }

    @Override
    List<String> cancelArgv(List<String> jobIds) {
        List<String> argv = new ArrayList<>(List.of("scancel"));
        argv.addAll(jobIds);
        return argv;
    }

    @Override
    CommandRunner.Outcome statusOutcome(List<String> jobIds) throws ProviderException {
        CommandRunner.Outcome r = super.statusOutcome(jobIds);
        if (!r.ok() && r.reason().contains("Invalid job id")) {
            // Slurm forgot one of them: ask about every job it still knows, and the others have ended
            r = run(List.of("squeue", "--noheader", "--states=all", "--format=%i|%t|%r"));
        }
        return r;
    }
}
