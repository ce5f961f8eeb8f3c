package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.JavaBundle;
import dev.gantry.protocol.payload.Serialized;
import dev.gantry.protocol.payload.Strategy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Java functions' class files, content-addressed in the {@code blobs} table: a function's code is stored with
 * each class file's sha-256 in place of its bytes, so a class shipped by many functions (a library, the SDK's
 * interfaces) is stored once. Hashes are checked against the bytes on the way in.
 */
final class ClassFileBlobs {
    private static final int IN_CHUNK = 500;

    private ClassFileBlobs() {}

    /** The code to store: a Java bundle's class bytes moved to blobs (inserted when new); other code unchanged. */
    static String store(Connection c, String functionCode) throws SQLException {
        JavaBundle bundle = bundle(functionCode);
        if (bundle == null || bundle.classes().stream().allMatch(f -> f.bytes() == null)) {
            return functionCode;
        }
        Map<String, String> content = new LinkedHashMap<>();
        List<JavaBundle.ClassFile> refs = new ArrayList<>(bundle.classes().size());
        for (JavaBundle.ClassFile f : bundle.classes()) {
            if (f.bytes() == null) {
                throw invalid("class file " + f.name() + " has no bytes");
            }
            checkHash(f);
            content.put(f.sha256(), f.bytes());
            refs.add(new JavaBundle.ClassFile(f.name(), f.sha256(), null));
        }
        Set<String> missing = new HashSet<>(content.keySet());
        missing.removeAll(select(c, content.keySet(), false).keySet());
        if (!missing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO blobs (sha256, content, created_at)" + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                long now = System.currentTimeMillis();
                for (String hash : missing) {
                    ps.setString(1, hash);
                    ps.setString(2, content.get(hash));
                    ps.setLong(3, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return pack(bundle.withClasses(refs));
    }

    /** The code as stored, with a Java bundle's class bytes put back from blobs. */
    static String load(Connection c, String storedCode) throws SQLException {
        JavaBundle bundle = bundle(storedCode);
        if (bundle == null || bundle.classes().stream().allMatch(f -> f.bytes() != null)) {
            return storedCode;
        }
        Map<String, String> content = select(
                c, bundle.classes().stream().map(JavaBundle.ClassFile::sha256).toList(), true);
        List<JavaBundle.ClassFile> full = new ArrayList<>(bundle.classes().size());
        for (JavaBundle.ClassFile f : bundle.classes()) {
            String bytes = content.get(f.sha256());
            if (bytes == null) {
                throw new GantryException(
                        ApiError.INTERNAL_ERROR,
                        "class file " + f.name() + " (" + f.sha256() + ") is missing from the blob store");
            }
            full.add(new JavaBundle.ClassFile(f.name(), f.sha256(), bytes));
        }
        return pack(bundle.withClasses(full));
    }

    private static JavaBundle bundle(String code) {
        List<String> buffers = Buffers.unpack(code);
        if (buffers.size() != 1) {
            return null;
        }
        Serialized s = Serialized.parse(buffers.get(0));
        return s.strategy() == Strategy.JAVA_BUNDLE ? Json.read(s.body(), JavaBundle.class) : null;
    }

    private static String pack(JavaBundle b) {
        return Buffers.pack(List.of(Strategy.JAVA_BUNDLE.tag(Json.write(b))));
    }

    private static void checkHash(JavaBundle.ClassFile f) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(f.bytes());
        } catch (IllegalArgumentException e) {
            throw invalid("class file " + f.name() + " is not base64");
        }
        String actual;
        try {
            actual = java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!actual.equals(f.sha256())) {
            throw invalid("class file " + f.name() + ": sha256 " + f.sha256() + " does not match its bytes");
        }
    }

    /** Of {@code hashes}, those stored: hash to content, or to "" when {@code withContent} is false. */
    private static Map<String, String> select(Connection c, Collection<String> hashes, boolean withContent)
            throws SQLException {
        Map<String, String> out = new HashMap<>();
        List<String> all = List.copyOf(new HashSet<>(hashes));
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            List<String> part = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256" + (withContent ? ", content" : "")
                    + " FROM blobs WHERE sha256 IN (" + Rows.marks(part.size()) + ")")) {
                for (int k = 0; k < part.size(); k++) {
                    ps.setString(k + 1, part.get(k));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), withContent ? rs.getString(2) : "");
                    }
                }
            }
        }
        return out;
    }

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, "malformed Java function: " + message);
    }
}
