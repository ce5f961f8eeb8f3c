package dev.gantry.broker;

import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.GantryException;

/** A broker failure with its stable code. */
public class BrokerException extends GantryException {
    public BrokerException(ErrorCode code, String message) {
        super(code, message);
    }
}
