package dev.gantry.broker;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;

/** A broker failure with its stable code. */
public class BrokerException extends GantryException {
    public BrokerException(ApiError code, String message) {
        super(code, message);
    }
}
