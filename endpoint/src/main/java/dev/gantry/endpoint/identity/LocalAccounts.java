package dev.gantry.endpoint.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system's account database through {@code getent passwd} and {@code id -G} (so NSS sources such as LDAP
 * count, as with {@code getpwnam} and {@code getgrouplist}).
 */
public final class LocalAccounts {

    /** The account named {@code name}, if there is one. */
    public Optional<LocalUser> byName(String name) {
        String passwd = run("getent", "passwd", name);
        if (passwd == null || passwd.isBlank()) {
            return Optional.empty();
        }
        String ids = run("id", "-G", name);
        String names = run("id", "-Gn", name);
        return Optional.of(parse(passwd.lines().findFirst().orElseThrow(), ids, names));
    }

    /** A {@code passwd} line and the outputs of {@code id -G} and {@code id -Gn} as one account. */
    static LocalUser parse(String passwdLine, String groupIds, String groupNames) {
        String[] f = passwdLine.split(":", -1);
        if (f.length < 7) {
            throw new IllegalArgumentException("not a passwd line: " + passwdLine);
        }
        int gid = Integer.parseInt(f[3]);
        List<Integer> gids = new ArrayList<>();
        if (groupIds != null) {
            for (String g : groupIds.trim().split("\\s+")) {
                if (!g.isEmpty()) {
                    gids.add(Integer.parseInt(g));
                }
            }
        }
        List<String> gnames = new ArrayList<>();
        if (groupNames != null && !groupNames.isBlank()) {
            gnames.addAll(List.of(groupNames.trim().split("\\s+")));
        }
        if (gids.isEmpty()) {
            gids.add(gid);
        }
        return new LocalUser(f[0], Integer.parseInt(f[2]), gid, gids, gnames, f[4], f[6], f[5]);
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readNBytes(1 << 16);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
