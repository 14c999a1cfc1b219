package io.wsc;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.SmallRyeConfig;
import io.wsc.config.WscConfig;

/** Entry point: refuses to serve without a usable configuration, with one line that says what to fix. */
@QuarkusMain
public class WscMain implements QuarkusApplication {

    /** Exit code for a configuration the server cannot run with (as for a command-line usage error). */
    static final int CONFIG_ERROR = 2;

    private static final Logger LOG = Logger.getLogger(WscMain.class);

    public static void main(String... args) {
        Quarkus.run(WscMain.class, args);
    }

    @Override
    public int run(String... args) {
        WscConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(WscConfig.class);
        String problem = ConfigCheck.problem(config);
        if (problem != null) {
            LOG.error(problem);
            return CONFIG_ERROR;
        }
        Quarkus.waitForExit();
        return 0;
    }
}
