package io.switchboard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCertificateTest {

    @TempDir
    Path dir;

    @Test
    void firstStart_writesAOneYearLoopbackCertificate_laterStartsReuseIt() throws Exception {
        TlsCertificate created = TlsCertificate.loadOrCreate(dir.resolve("tls"));
        X509Certificate certificate = created.certificate();
        assertEquals(dir.resolve("tls/cert.pem"), created.certificatePath());
        assertTrue(Files.readString(created.certificatePath()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(dir.resolve("tls/key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        Set<String> names = certificate.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).collect(Collectors.toSet());
        assertEquals(Set.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"), names);
        Duration validity = Duration.between(Instant.now(), certificate.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 364 && validity.toDays() <= 365, validity.toString());

        assertEquals(certificate, TlsCertificate.loadOrCreate(dir.resolve("tls")).certificate());
    }

    @Test
    void brokenKey_isReplaced() throws Exception {
        X509Certificate first = TlsCertificate.loadOrCreate(dir).certificate();
        Files.writeString(dir.resolve("key.pem"), "garbage");
        TlsCertificate second = TlsCertificate.loadOrCreate(dir);
        assertNotEquals(first, second.certificate());
        assertTrue(second.keyStore("pw".toCharArray()).isKeyEntry("switchboard"));
    }
}
