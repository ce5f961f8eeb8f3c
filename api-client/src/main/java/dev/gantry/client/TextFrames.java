package dev.gantry.client;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A WebSocket listener that reassembles text messages split across frames and hands each whole message to
 * {@code onMessage}, asking for the next frame only after it returns (so a slow reader slows the sender).
 */
public class TextFrames implements WebSocket.Listener {
    private final Consumer<String> onMessage;
    private final StringBuilder partial = new StringBuilder();

    public TextFrames(Consumer<String> onMessage) {
        this.onMessage = onMessage;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        if (!last) {
            partial.append(data);
        } else if (partial.isEmpty()) {
            onMessage.accept(data.toString());
        } else {
            partial.append(data);
            String whole = partial.toString();
            partial.setLength(0);
            onMessage.accept(whole);
        }
        ws.request(1);
        return null;
    }
}
