package dev.gantry.endpoint.manager;

import dev.gantry.protocol.AuditSink;
import dev.gantry.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A high-assurance manager's user endpoint's audit record, kept by its manager: each batch of events goes out as
 * one line on the output the manager reads ({@link ManagerAudit#PREFIX} and a JSON array), and the manager answers
 * on the user endpoint's input, {@code ok} once the events are in its log, or {@code broken} and why. Events are
 * recorded before {@link #append} returns, so a task whose arrival the manager has not written does not run. No
 * answer within {@link #ANSWER_WAIT_MS}, or a manager gone, breaks the record for good.
 */
final class ManagerAuditPipe implements AuditSink {
    private static final Logger log = LoggerFactory.getLogger(ManagerAuditPipe.class);
    static final long ANSWER_WAIT_MS = 30_000;
    /** Stands for a manager gone: it never sends a NUL. */
    private static final String GONE = "\0";

    private static final String CONSEQUENCE = "; this high-assurance user endpoint takes no more tasks";

    private final PrintStream toManager;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>(16);
    private volatile String broken;

    /** Sends to {@code toManager} (the process's own output) and reads the answers from {@code fromManager}. */
    ManagerAuditPipe(PrintStream toManager, InputStream fromManager) {
        this.toManager = toManager;
        BufferedReader in = new BufferedReader(new InputStreamReader(fromManager, StandardCharsets.UTF_8));
        Thread.ofPlatform().daemon().name("manager-audit-answers").start(() -> {
            try {
                for (String line; (line = in.readLine()) != null; ) {
                    answers.put(line);
                }
            } catch (IOException | InterruptedException e) {
                // the manager is gone: the next record breaks
            }
            answers.offer(GONE);
        });
    }

    @Override
    public synchronized boolean append(List<?> events) {
        for (int i = 0; i < events.size() && broken == null; i += ManagerAudit.EVENTS_PER_LINE) {
            List<?> part = events.subList(i, Math.min(events.size(), i + ManagerAudit.EVENTS_PER_LINE));
            toManager.print(ManagerAudit.PREFIX + Json.write(part) + "\n");
            toManager.flush();
            String answer = toManager.checkError() ? GONE : next();
            if (answer.startsWith(ManagerAudit.BROKEN)) {
                broke(answer.substring(ManagerAudit.BROKEN.length()));
            } else if (!answer.equals(ManagerAudit.OK)) {
                broke(
                        answer.equals(GONE)
                                ? "its endpoint manager no longer keeps its audit log"
                                : "its manager answered '" + answer + "'");
            }
        }
        return broken == null;
    }

    private String next() {
        try {
            String a = answers.poll(ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
            return a == null ? GONE : a;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return GONE;
        }
    }

    private void broke(String why) {
        broken = why + CONSEQUENCE;
        log.error(broken);
    }

    @Override
    public Optional<String> broken() {
        return Optional.ofNullable(broken);
    }

    @Override
    public void close() {
        // the manager closes its log; the pipe closes with this process
    }
}
