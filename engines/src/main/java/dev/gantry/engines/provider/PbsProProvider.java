package dev.gantry.engines.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks as PBS Pro jobs: {@code qsub} a script, {@code qstat -f -F json -x} for states, {@code qdel}. PBS is
 * not packaged for this machine: the tests run it against fake {@code qsub}/{@code qstat}/{@code qdel} scripts
 * that run the job locally, plus golden files for the script, argv and parsers.
 */
public final class PbsProProvider extends BatchScheduler {
    /** PBS's exit status for a job killed by {@code qdel} (256 + SIGTERM). */
    static final int DELETED_EXIT = 271;

    /** The {@code provider} block's PBS Pro keys. */
    public record Options(String queue, String account, String selectOptions, Integer cpusPerNode, BatchOptions batch) {
        public Options {
            BatchOptions.safe("queue", queue);
            BatchOptions.safe("account", account);
            BatchOptions.safe("select_options", selectOptions);
            if (cpusPerNode != null && cpusPerNode < 1) {
                throw new IllegalArgumentException("cpus_per_node must be at least 1, got " + cpusPerNode);
            }
            cpusPerNode = cpusPerNode == null ? 1 : cpusPerNode;
            batch = batch == null ? BatchOptions.defaults() : batch;
        }
    }

    private final Options options;

    public PbsProProvider(Options options, CommandRunner runner) {
        super(runner, options.batch());
        this.options = options;
    }

    @Override
    public String type() {
        return "pbspro";
    }

    @Override
    String script(BlockJob job) {
        Options o = options;
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("#PBS -S /bin/bash\n");
        s.append("#PBS -N ").append(job.name()).append('\n');
        s.append("#PBS -m n\n");
        s.append("#PBS -l walltime=").append(o.batch().walltime()).append('\n');
        s.append("#PBS -o ").append(job.dir().resolve(job.name() + ".stdout")).append('\n');
        s.append("#PBS -e ").append(job.dir().resolve(job.name() + ".stderr")).append('\n');
        s.append("#PBS -l select=").append(job.nodes()).append(":ncpus=").append(o.cpusPerNode());
        if (o.selectOptions() != null && !o.selectOptions().isBlank()) {
            s.append(':').append(o.selectOptions());
        }
        s.append('\n');
        if (o.queue() != null) {
            s.append("#PBS -q ").append(o.queue()).append('\n');
        }
        if (o.account() != null) {
            s.append("#PBS -A ").append(o.account()).append('\n');
        }
        s.append(o.batch().directives("#PBS"));
        if (!o.batch().workerInit().isEmpty()) {
            s.append(o.batch().workerInit()).append('\n');
        }
        s.append(job.command()).append('\n');
        return s.toString();
    }

    @Override
    List<String> submitArgv(Path script) {
        return List.of("qsub", script.toString());
    }

    /** {@code qsub} prints the job id, {@code 123.server}. */
    @Override
    String parseSubmit(String stdout) throws ProviderException {
        String id = stdout.strip();
        if (!id.matches("[0-9]+(\\[\\])?(\\.[A-Za-z0-9_.\\-]+)?")) {
            throw new ProviderException("qsub printed no job id: '" + id + "'");
        }
        return id;
    }

    @Override
    List<String> statusArgv(List<String> jobIds) {
        List<String> argv = new ArrayList<>(List.of("qstat", "-f", "-F", "json", "-x"));
        argv.addAll(jobIds);
        return argv;
    }

    /** {@code {"Jobs": {"123.server": {"job_state": "R", "Exit_status": 0}}}}; a job not listed has ended. */
    @Override
    Map<String, JobStatus> parseStatus(String stdout, List<String> jobIds) throws ProviderException {
        Map<String, JobStatus> known = new HashMap<>();
        if (!stdout.isBlank()) {
            JsonNode jobs;
            try {
                jobs = Json.mapper().readTree(stdout).path("Jobs");
            } catch (IOException e) {
                throw new ProviderException("qstat printed no JSON: " + e.getMessage(), e);
            }
            jobs.properties().forEach(e -> known.put(e.getKey(), status(e.getValue())));
        }
        Map<String, JobStatus> out = new HashMap<>();
        jobIds.forEach(id -> out.put(id, known.getOrDefault(id, JobStatus.of(JobState.COMPLETED))));
        return out;
    }

    private static JobStatus status(JsonNode job) {
        String code = job.path("job_state").asText("");
        JobState state = switch (code) {
            case "Q", "H", "W", "T", "M", "S", "U" -> JobState.PENDING;
            case "R", "B", "E" -> JobState.RUNNING;
            case "F", "X" -> {
                int exit = job.path("Exit_status").asInt(0);
                yield exit == 0 ? JobState.COMPLETED : exit == DELETED_EXIT ? JobState.CANCELLED : JobState.FAILED;
            }
            default -> JobState.UNKNOWN;
        };
        String comment = job.path("comment").asText("");
        return new JobStatus(state, comment);
    }

    @Override
    List<String> cancelArgv(List<String> jobIds) {
        List<String> argv = new ArrayList<>(List.of("qdel"));
        argv.addAll(jobIds);
        return argv;
    }
}
