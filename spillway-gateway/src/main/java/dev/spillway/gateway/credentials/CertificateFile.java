package dev.spillway.gateway.credentials;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An application certificate and its RSA private key, read from a PEM file (a {@code CERTIFICATE}
 * block and an unencrypted {@code PRIVATE KEY} or {@code RSA PRIVATE KEY} block, in any order) or
 * from a PKCS#12 file. Messages name the file and what is wrong, never key material or a password.
 *
 * @param certificate the certificate Entra ID knows the application by (the first one in the file)
 * @param privateKey its RSA private key
 */
record CertificateFile(X509Certificate certificate, RSAPrivateKey privateKey) {
  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  /** DER of the PKCS#8 AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };

  /**
   * Parses {@code content}, read from {@code path}; a PKCS#12 file is opened with {@code password}
   * (or an empty one).
   *
   * @throws CredentialUnavailableException when it holds no usable RSA certificate and key
   */
  static CertificateFile parse(Path path, byte[] content, Optional<String> password) {
    String text = new String(content, StandardCharsets.US_ASCII);
    CertificateFile file = text.contains("-----BEGIN ") ? pem(path, text) : pkcs12(path, content, password);
    if (!(file.certificate.getPublicKey() instanceof RSAPublicKey publicKey)
        || !publicKey.getModulus().equals(file.privateKey.getModulus())) {
      throw unusable(path, "holds a private key that does not belong to its certificate");
    }
    return file;
  }

  private static CertificateFile pem(Path path, String text) {
    X509Certificate certificate = null;
    PrivateKey key = null;
    Matcher block = PEM_BLOCK.matcher(text);
    while (block.find()) {
      String type = block.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(block.group(2));
      } catch (IllegalArgumentException e) {
        throw unusable(path, "has a " + type + " block that is not base64");
      }
      try {
        switch (type) {
          case "CERTIFICATE" -> {
            if (certificate == null) {
              certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            }
          }
          case "PRIVATE KEY" -> key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
          case "RSA PRIVATE KEY" -> key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8(der)));
          case "ENCRYPTED PRIVATE KEY" ->
              throw unusable(path, "holds an encrypted PEM key; use an unencrypted one or a PKCS#12 file with a password");
          default -> {}
        }
      } catch (GeneralSecurityException | ClassCastException e) {
        throw unusable(path, "has a " + type + " block that cannot be read as an RSA " + (type.contains("KEY") ? "key" : "certificate"));
      }
    }
    if (certificate == null) {
      throw unusable(path, "holds no CERTIFICATE block");
    }
    if (!(key instanceof RSAPrivateKey rsa)) {
      throw unusable(path, "holds no RSA PRIVATE KEY or PRIVATE KEY block (Entra ID takes RSA certificates)");
    }
    return new CertificateFile(certificate, rsa);
  }

  private static CertificateFile pkcs12(Path path, byte[] content, Optional<String> password) {
    char[] secret = password.orElse("").toCharArray();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(new ByteArrayInputStream(content), secret);
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        Key key = store.getKey(alias, secret);
        Certificate certificate = store.getCertificate(alias);
        if (key instanceof RSAPrivateKey rsa && certificate instanceof X509Certificate x509) {
          return new CertificateFile(x509, rsa);
        }
      }
    } catch (java.io.IOException e) {
      throw unusable(
          path,
          "is neither PEM nor a PKCS#12 file this password opens"
              + (e.getCause() instanceof java.security.UnrecoverableKeyException ? " (wrong password)" : ""));
    } catch (GeneralSecurityException e) {
      throw unusable(path, "cannot be read as PKCS#12 (" + e.getClass().getSimpleName() + ")");
    }
    throw unusable(path, "holds no RSA private key with its certificate");
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which the JDK reads. */
  private static byte[] pkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(0x30);
    info.writeBytes(derLength(body.size()));
    info.writeBytes(body.toByteArray());
    return info.toByteArray();
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length < 0x100) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
  }

  private static CredentialUnavailableException unusable(Path path, String why) {
    return new CredentialUnavailableException("certificate file " + path + " " + why);
  }

  @Override
  public String toString() {
    return "CertificateFile[subject=" + certificate.getSubjectX500Principal() + ", privateKey=***]";
  }
}
