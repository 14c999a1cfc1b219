package io.wsc.channel;

import java.nio.channels.ClosedChannelException;

import io.netty.channel.embedded.EmbeddedChannel;

/** Tearing down the embedded sockets of fan-out tests. */
final class EmbeddedSockets {

    private EmbeddedSockets() {
    }

    /** Finishes the socket and releases what it still holds; an evicted one's discarded writes are no failure. */
    static void release(EmbeddedChannel socket) {
        try {
            socket.finishAndReleaseAll();
        } catch (Exception e) { // an evicted socket reports the writes its close discarded
            if (!(e instanceof ClosedChannelException)) {
                throw e;
            }
        }
    }
}
