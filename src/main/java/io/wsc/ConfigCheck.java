package io.wsc;

import io.wsc.config.WscConfig;

/** The settings wsc cannot run with, each explained in one line. */
final class ConfigCheck {

    private ConfigCheck() {
    }

    /** A one-line description of what is wrong, or null when the configuration is usable. */
    static String problem(WscConfig config) {
        if (!hasAccessKey(config)) {
            return "No access key: give it as the first argument, with --access-key-file, or in the environment variable "
                    + "WSC_ACCESS_KEY (or the property wsc.access-key)";
        }
        if (config.maxMessageBytes() < 0) {
            return "wsc.max-message-bytes must not be negative";
        }
        if (config.maxPendingBytes() < config.maxMessageBytes()) {
            return "wsc.max-pending-bytes (" + config.maxPendingBytes() + ") must be at least wsc.max-message-bytes ("
                    + config.maxMessageBytes() + ")";
        }
        return null;
    }

    static boolean hasAccessKey(WscConfig config) {
        return config.accessKey().filter(key -> !key.isBlank()).isPresent();
    }
}
