package dev.gantry.service;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** For API tests of several identities: one embedded service for the class, its administrator, alice and bob. */
abstract class AliceAndBob {
    static ApiFixture api;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture();
        alice = api.identity("alice@example.org");
        bob = api.identity("bob@example.org");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }
}
