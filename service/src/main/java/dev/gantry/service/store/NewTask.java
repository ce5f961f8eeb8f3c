package dev.gantry.service.store;

import dev.gantry.protocol.FunctionId;

/** One task of a submit, before it has an id. */
public record NewTask(FunctionId function, String payload) {}
