package io.wsc.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made by the JDK's keytool when a test first
 * asks for it (nothing private is committed): one PKCS#12 file holds the key and its certificate, and serves the
 * server as its key store and the test clients as their trust store.
 */
public final class TestCertificate {

    public static final String PASSWORD = "test-only-password";

    private static Path keyStore;

    private TestCertificate() {
    }

    /** The PKCS#12 key store, generated once per JVM into a temporary folder. */
    public static synchronized Path keyStore() {
        if (keyStore == null) {
            try {
                Path file = Files.createTempDirectory("wsc-tls").resolve("localhost.p12");
                Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
                Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "localhost",
                        "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-validity", "2",
                        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                        file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes());
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed: " + output);
                }
                keyStore = file;
            } catch (IOException e) {
                throw new IllegalStateException("Cannot generate the test certificate", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return keyStore;
    }

    /** Base64 of the SHA-256 of the certificate's public key: what Chromium's --ignore-certificate-errors-spki-list takes. */
    public static String spkiHash() {
        try (InputStream in = Files.newInputStream(keyStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate("localhost");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return Base64.getEncoder().encodeToString(digest);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
