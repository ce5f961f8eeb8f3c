package dev.gantry.service.channel;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.service.store.FunctionStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The code of functions dispatched lately, so that a busy function is read from the store once, not per task. */
final class FunctionCache {
    private static final int SIZE = 1024;
    private final FunctionStore functions;
    private final Map<FunctionId, FunctionDoc> cache =
            Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<FunctionId, FunctionDoc> e) {
                    return size() > SIZE;
                }
            });

    FunctionCache(FunctionStore functions) {
        this.functions = functions;
    }

    Optional<FunctionDoc> get(FunctionId id) {
        FunctionDoc cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<FunctionDoc> doc = functions.forDispatch(id);
        doc.ifPresent(d -> cache.put(id, d));
        return doc;
    }
}
