package dev.gantry.endpoint.identity;

import java.util.List;

/**
 * A local account as {@code getpwnam} and {@code getgrouplist} describe it.
 *
 * @param groups the ids of every group the account is in, its primary group first
 * @param groupNames the names of those groups, in the same order
 */
public record LocalUser(
        String uname,
        int uid,
        int gid,
        List<Integer> groups,
        List<String> groupNames,
        String gecos,
        String shell,
        String dir) {
    public LocalUser {
        groups = List.copyOf(groups);
        groupNames = List.copyOf(groupNames);
    }
}
