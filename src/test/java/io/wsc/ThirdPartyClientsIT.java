package io.wsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;
import io.wsc.support.SystemTool;

/**
 * The packaged jar driven by ordinary third-party clients, Python's requests and websockets
 * ({@code src/test/python/wire_contract.py}), not only by our own Java tests.
 */
class ThirdPartyClientsIT {

    @Test
    void pythonClientsSeeTheWholeWireContract() throws Exception {
        Optional<String> python = SystemTool.find("Python 3 with requests and websockets (apt-get install "
                + "python3-requests python3-websockets)", List.of("/usr/bin/python3", "python3"),
                "-c", "import requests, websockets");
        assumeTrue(python.isPresent(), "no Python with requests and websockets on this machine");
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", "A0B1C2D3"))) {
            Process run = new ProcessBuilder(python.get(), "src/test/python/wire_contract.py",
                    "http://127.0.0.1:" + server.httpPort, "A0B1C2D3").redirectErrorStream(true).start();
            String output = new String(run.getInputStream().readAllBytes());
            run.waitFor(60, TimeUnit.SECONDS);
            System.out.println(output);
            assertEquals(0, run.exitValue(), output + "\n--- server log ---\n" + Files.readString(server.log));
        }
    }
}
