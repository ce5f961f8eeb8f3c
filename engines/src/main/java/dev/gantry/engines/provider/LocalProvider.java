package dev.gantry.engines.provider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blocks as processes on this host: the block's script runs under {@code bash}; the job id is
 * {@code local-<pid>}. Cancel sends SIGTERM to the script and what it started (as a scheduler would), and
 * SIGKILL five seconds later to what is left.
 */
public final class LocalProvider implements Provider {
    private final BatchOptions options;
    private final Map<String, Process> jobs = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelled = new ConcurrentHashMap<>();

    public LocalProvider(BatchOptions options) {
        this.options = options;
    }

    @Override
    public String type() {
        return "local";
    }

    public static String script(BatchOptions o, BlockJob job) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        if (!o.workerInit().isEmpty()) {
            s.append(o.workerInit()).append('\n');
        }
        return s.append(job.command()).append('\n').toString();
    }

    @Override
    public String submit(BlockJob job) throws ProviderException {
        try {
            Files.createDirectories(job.dir());
            Path file = job.dir().resolve(job.name() + ".submit");
            Files.writeString(file, script(options, job));
            Process p = new ProcessBuilder("bash", file.toString())
                    .redirectOutput(job.dir().resolve(job.name() + ".stdout").toFile())
                    .redirectError(job.dir().resolve(job.name() + ".stderr").toFile())
                    .start();
            String id = "local-" + p.pid();
            jobs.put(id, p);
            return id;
        } catch (IOException e) {
            throw new ProviderException("cannot start the block's script: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, JobStatus> status(List<String> jobIds) {
        Map<String, JobStatus> out = new HashMap<>();
        for (String id : jobIds) {
            Process p = jobs.get(id);
            if (p == null) {
                out.put(id, JobStatus.of(JobState.COMPLETED));
            } else if (p.isAlive()) {
                out.put(id, JobStatus.of(JobState.RUNNING));
            } else if (cancelled.containsKey(id)) {
                out.put(id, JobStatus.of(JobState.CANCELLED));
            } else {
                out.put(
                        id,
                        p.exitValue() == 0
                                ? JobStatus.of(JobState.COMPLETED)
                                : new JobStatus(JobState.FAILED, "exit code " + p.exitValue()));
            }
        }
        return out;
    }

    @Override
    public void cancel(List<String> jobIds) {
        for (String id : jobIds) {
            Process p = jobs.get(id);
            if (p != null && p.isAlive()) {
                cancelled.put(id, Boolean.TRUE);
                List<ProcessHandle> tree = p.descendants().toList();
                tree.forEach(ProcessHandle::destroy);
                p.destroy();
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    tree.forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        }
    }
}
