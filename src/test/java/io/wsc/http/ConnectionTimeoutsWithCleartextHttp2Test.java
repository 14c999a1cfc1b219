package io.wsc.http;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every HTTP/1.1 timeout of {@link ConnectionTimeoutsTest} with h2c on, where Vert.x builds a connection's codec only
 * once its first bytes arrive.
 */
@QuarkusTest
@TestProfile(CleartextHttp2Profile.class)
class ConnectionTimeoutsWithCleartextHttp2Test extends ConnectionTimeoutsTest {
}
