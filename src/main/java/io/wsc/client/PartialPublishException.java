package io.wsc.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A publish to several channels that some of them did not take (the server answered 503, e.g. Redis unreachable):
 * the receipts of the channels that did, and why each of the others did not, so that only those are published to again.
 */
public class PartialPublishException extends WscException {

    private static final long serialVersionUID = 1L;

    private final transient List<PublishReceipt> published;
    private final transient Map<String, String> failed;

    public PartialPublishException(int statusCode, String statusText, List<PublishReceipt> published,
            Map<String, String> failed) {
        super(statusCode, statusText);
        this.published = List.copyOf(published);
        this.failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }

    /** The receipts of the channels that took the message, in the order they were given. */
    public List<PublishReceipt> published() {
        return published;
    }

    /** Channel (as normalised) -> the server's reason, for every channel that did not take the message. */
    public Map<String, String> failed() {
        return failed;
    }
}
