package dev.gantry.cli;

import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.api.TokenDoc;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry service token create|list|rotate|revoke}: the service's API tokens. Anyone manages their own; the
 * service's administrator (the local credentials of its home) anyone's. A token's secret is printed once, when it
 * is made; afterwards it is known by its id.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Make, list, rotate and revoke the service's API tokens.",
        subcommands = {
            TokenCommand.Create.class,
            TokenCommand.ListTokens.class,
            TokenCommand.Rotate.class,
            TokenCommand.Revoke.class
        })
final class TokenCommand {
    private static final Pattern LIFETIME = Pattern.compile("(\\d{1,9})([smhd])");

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Make a token (for USERNAME: the administrator only; the identity is added if new).")
    static final class Create implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "Whose token (default: yours).")
        String username;

        @Option(names = "--name", description = "What the token is for, shown in lists.")
        String name;

        @Option(
                names = "--expires",
                defaultValue = "never",
                description = "Lifetime: 3600s, 90m, 12h, 30d, or never (the default).")
        String expires;

        @Override
        public Integer call() {
            TokenDoc t = ServiceClient.fromEnvironment()
                    .post("/v3/tokens", new TokenDoc.Request(username, name, seconds(expires)), TokenDoc.class);
            printIssued(t);
            System.err.println("The token is shown this once; keep it secret (GANTRY_TOKEN=... for the SDK and CLI).");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List your tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @Option(names = "--all", description = "Everyone's tokens (the administrator only).")
        boolean all;

        @Option(names = "--json", description = "Print the service's JSON document instead.")
        boolean json;

        @Override
        public Integer call() {
            TokenDoc.Listing l = ServiceClient.fromEnvironment()
                    .get("/v3/tokens" + (all ? "?all=true" : ""), TokenDoc.Listing.class);
            if (json) {
                System.out.println(Json.write(l));
                return 0;
            }
            System.out.printf("%-16s  %-28s  %-20s  %-20s  %s%n", "ID", "USER", "CREATED", "EXPIRES", "NAME");
            for (TokenDoc t : l.tokens()) {
                System.out.printf(
                        "%-16s  %-28s  %-20s  %-20s  %s%n",
                        t.tokenId(),
                        t.username(),
                        Instant.ofEpochMilli(t.createdAt()).toString().substring(0, 19),
                        expiry(t),
                        t.name() == null ? "" : t.name());
            }
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Put a new token in the place of token ID (same name and lifetime); ID stops working.")
    static final class Rotate implements Callable<Integer> {
        @Parameters(index = "0", description = "The token's id (gantry service token list).")
        String id;

        @Override
        public Integer call() {
            TokenDoc t = ServiceClient.fromEnvironment().post("/v3/tokens/" + id + "/rotate", null, TokenDoc.class);
            printIssued(t);
            System.err.println("Token " + id + " no longer works; the new one is shown this once.");
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke token ID: it stops working on every instance within seconds.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", description = "The token's id (gantry service token list).")
        String id;

        @Override
        public Integer call() {
            TokenDoc t = ServiceClient.fromEnvironment().delete("/v3/tokens/" + id, TokenDoc.class);
            System.out.println("Revoked token " + t.tokenId() + " of " + t.username() + ".");
            return 0;
        }
    }

    private TokenCommand() {}

    static Long seconds(String lifetime) {
        String s = lifetime.trim().toLowerCase(Locale.ROOT);
        if (s.equals("never")) {
            return null;
        }
        Matcher m = LIFETIME.matcher(s);
        if (!m.matches()) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "--expires takes 3600s, 90m, 12h, 30d or never, not '" + lifetime + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n * 86_400;
        };
    }

    /** A token just made: its secret, then its id, whose it is and when it expires. */
    private static void printIssued(TokenDoc t) {
        System.out.println("token " + t.token());
        System.out.println("id " + t.tokenId() + " for " + t.username() + ", expires " + expiry(t));
    }

    private static String expiry(TokenDoc t) {
        return t.expiresAt() == null
                ? "never"
                : Instant.ofEpochMilli(t.expiresAt()).toString().substring(0, 19);
    }
}
