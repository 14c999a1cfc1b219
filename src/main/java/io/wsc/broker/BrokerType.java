package io.wsc.broker;

/** Where a publish meets its subscribers ({@code wsc.broker}). */
public enum BrokerType {
    /** Inside this process: one node only. */
    MEMORY,
    /** Redis pub/sub: any number of nodes sharing one Redis. */
    REDIS
}
