package dev.spillway.gateway.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed RSA application certificates for tests, made by the JDK's own {@code keytool} (the
 * JDK has no public API to issue a certificate), and the same key and certificate written as PEM.
 */
final class TestCertificates {
  private TestCertificates() {}

  /** A certificate and its key, and the PKCS#12 file holding them. */
  record Issued(Path pkcs12, String password, X509Certificate certificate, PrivateKey privateKey) {}

  static Issued pkcs12(Path dir, String name, String password) throws IOException, InterruptedException, GeneralSecurityException {
    Path file = dir.resolve(name + ".p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                List.of(
                    keytool.toString(), "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
                    "-sigalg", "SHA256withRSA", "-dname", "CN=" + name, "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", password, "-keypass", password))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return new Issued(
        file,
        password,
        (X509Certificate) store.getCertificate(name),
        (PrivateKey) store.getKey(name, password.toCharArray()));
  }

  /** The key as a PKCS#8 {@code PRIVATE KEY} block followed by the certificate. */
  static Path pemPkcs8(Issued issued, Path file) throws IOException, GeneralSecurityException {
    return Files.writeString(file, pem("PRIVATE KEY", issued.privateKey().getEncoded()) + pem("CERTIFICATE", issued.certificate().getEncoded()));
  }

  /** The certificate followed by the key as a PKCS#1 {@code RSA PRIVATE KEY} block, as openssl's traditional form. */
  static Path pemPkcs1(Issued issued, Path file) throws IOException, GeneralSecurityException {
    return Files.writeString(
        file, pem("CERTIFICATE", issued.certificate().getEncoded()) + pem("RSA PRIVATE KEY", pkcs1(issued.privateKey().getEncoded())));
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the content of its OCTET STRING. */
  private static byte[] pkcs1(byte[] pkcs8) {
    int i = skipHeader(pkcs8, 0); // into the outer SEQUENCE
    i = skipElement(pkcs8, i); // version INTEGER
    i = skipElement(pkcs8, i); // AlgorithmIdentifier SEQUENCE
    if (pkcs8[i] != 0x04) {
      throw new IllegalArgumentException("not a PKCS#8 RSA key");
    }
    int start = skipHeader(pkcs8, i);
    return Arrays.copyOfRange(pkcs8, start, start + length(pkcs8, i));
  }

  private static int skipHeader(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return at + 2 + (first < 0x80 ? 0 : first - 0x80);
  }

  private static int skipElement(byte[] der, int at) {
    return skipHeader(der, at) + length(der, at);
  }

  private static int length(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int k = 0; k < first - 0x80; k++) {
      length = (length << 8) | (der[at + 2 + k] & 0xff);
    }
    return length;
  }
}
