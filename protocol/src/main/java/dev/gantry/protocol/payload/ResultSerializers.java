package dev.gantry.protocol.payload;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A submit's {@code result_serializers}: Globus Compute's strategies a Python function's result may be
 * serialized with, first that works wins. Submitters name them by import path, as its SDK sends them
 * ({@code globus_compute_sdk.serialize.concretes.JSONData}) or as its documentation writes them
 * ({@code globus_compute_sdk.serialize.JSONData}); Gantry keeps the class names. Only the strategies its SDK
 * lets a user choose are accepted; the deprecated ones decode but never encode.
 */
public final class ResultSerializers {
    /** At most this many strategies in one list. */
    public static final int MAX = 16;

    /** The strategies a result may be serialized with, by class name. */
    public static final Set<String> NAMES = Set.of(
            "DillDataBase64",
            "JSONData",
            "AllDataStrategies",
            "DillCode",
            "PureSourceTextInspect",
            "PureSourceDill",
            "AllCodeStrategies");

    private ResultSerializers() {}

    /** The class names of a submit's list, in its order; null or empty stays null (the default). */
    public static List<String> parse(List<String> importPaths) {
        if (importPaths == null || importPaths.isEmpty()) {
            return null;
        }
        if (importPaths.size() > MAX) {
            throw invalid("result_serializers may hold at most " + MAX + " strategies, got " + importPaths.size());
        }
        List<String> names = new ArrayList<>(importPaths.size());
        for (String path : importPaths) {
            names.add(nameOf(path));
        }
        return List.copyOf(names);
    }

    /** Refuses a class name that is not a strategy a result may be serialized with. */
    public static String checkName(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw invalid("result_serializers: '" + name + "' is not one of " + NAMES);
        }
        return name;
    }

    private static String nameOf(String path) {
        Strategy s = Strategy.byImportPath(path);
        if (s != null && NAMES.contains(s.className())) {
            return s.className();
        }
        throw invalid("result_serializers: '" + path + "' is not a serialization strategy a result can use;"
                + " use an import path such as globus_compute_sdk.serialize.JSONData (one of " + NAMES + ")");
    }

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
