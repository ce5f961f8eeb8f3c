package dev.gantry.protocol.api;

/** Reply of {@code GET /v2/version?service=all}. */
public record VersionInfo(String api, String minSdkVersion, String minEpVersion, String gitSha) {}
