package io.wsc.lifecycle;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import io.wsc.config.WscConfig;

/** In dev mode only, shows the fixed dev access key so the README's curl examples work straight away. */
@IfBuildProfile("dev")
public class DevModeNotice {

    void onStart(@Observes StartupEvent event, WscConfig config) {
        Logger.getLogger(DevModeNotice.class).infof("Dev mode: publish with the header 'access-key: %s'",
                config.accessKey().orElse("(none set)"));
    }
}
