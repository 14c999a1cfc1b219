package io.wsc;

import java.io.PrintWriter;
import java.util.Map;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * Entry point: maps the command line onto configuration before Quarkus starts; {@link ConfigCheck} then refuses an
 * unusable configuration before anything listens.
 */
@QuarkusMain
public class WscMain implements QuarkusApplication {

    /** Exit code for a command line or configuration the server cannot run with. */
    static final int CONFIG_ERROR = 2;

    public static void main(String... args) {
        Launch launch = parse(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (launch.properties() == null) {
            System.exit(launch.exitStatus());
        }
        // System properties outrank environment variables and application.properties, as arguments should.
        launch.properties().forEach(System::setProperty);
        Quarkus.run(WscMain.class);
    }

    /** What a command line asks for: start with these properties, or (properties null) stop with this status. */
    record Launch(Map<String, String> properties, int exitStatus) {
    }

    /** Handles {@code --help}, {@code --version} and usage errors here; anything else becomes properties. */
    static Launch parse(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0) {
            // How containers start it: nothing to parse, and picocli's reflective model costs 0.2-0.5 s of start-up.
            return new Launch(Map.of(), 0);
        }
        CommandLine commandLine = new CommandLine(new ServerArguments());
        try {
            commandLine.parseArgs(args);
            if (commandLine.isUsageHelpRequested()) {
                commandLine.usage(out);
                return new Launch(null, 0);
            }
            if (commandLine.isVersionHelpRequested()) {
                commandLine.printVersionHelp(out);
                return new Launch(null, 0);
            }
            return new Launch(((ServerArguments) commandLine.getCommand()).toProperties(), 0);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println("wsc: " + e.getMessage());
            commandLine.usage(err);
            return new Launch(null, CONFIG_ERROR);
        }
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
