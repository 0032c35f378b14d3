package io.switchboard.local;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The gateway's self-signed TLS certificate: {@code cert.pem} (usable as {@code NODE_EXTRA_CA_CERTS}
 * or as a trust anchor in Java) and {@code key.pem} in one directory. Created on first start for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid one year, reused while it is valid.
 */
final class TlsCertificate {

    static final String CERTIFICATE_FILE = "cert.pem";
    static final String KEY_FILE = "key.pem";
    private static final Set<String> REQUIRED_NAMES = Set.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private final Path certificatePath;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private TlsCertificate(Path certificatePath, X509Certificate certificate, PrivateKey key) {
        this.certificatePath = certificatePath;
        this.certificate = certificate;
        this.key = key;
    }

    /** Reuses the certificate in {@code directory} if it is valid for the loopback names, otherwise writes a new one. */
    static synchronized TlsCertificate loadOrCreate(Path directory) throws IOException {
        Path certPath = directory.resolve(CERTIFICATE_FILE);
        Path keyPath = directory.resolve(KEY_FILE);
        Files.createDirectories(directory);
        // Two gateways starting at once must not each write half of a pair.
        try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = lockFile.lock();
            try {
                if (Files.isRegularFile(certPath) && Files.isRegularFile(keyPath)) {
                    TlsCertificate existing = read(certPath, keyPath);
                    if (existing != null) {
                        return existing;
                    }
                }
                return create(certPath, keyPath);
            } finally {
                lock.release();
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("Cannot prepare the TLS certificate in " + directory + ": " + e.getMessage(), e);
        }
    }

    Path certificatePath() {
        return certificatePath;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** An in-memory PKCS#12 key store holding the key and certificate, protected by {@code password}. */
    KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("switchboard", key, password, new Certificate[] {certificate});
        return store;
    }

    private static TlsCertificate read(Path certPath, Path keyPath) throws IOException, GeneralSecurityException {
        X509Certificate certificate;
        PrivateKey key;
        try (Reader certReader = Files.newBufferedReader(certPath, StandardCharsets.US_ASCII);
             Reader keyReader = Files.newBufferedReader(keyPath, StandardCharsets.US_ASCII);
             PEMParser certParser = new PEMParser(certReader);
             PEMParser keyParser = new PEMParser(keyReader)) {
            Object certObject = certParser.readObject();
            Object keyObject = keyParser.readObject();
            if (!(certObject instanceof X509CertificateHolder holder)) {
                return null;
            }
            certificate = new JcaX509CertificateConverter().getCertificate(holder);
            if (keyObject instanceof PrivateKeyInfo info) {
                key = new JcaPEMKeyConverter().getPrivateKey(info);
            } else if (keyObject instanceof PEMKeyPair pair) {
                key = new JcaPEMKeyConverter().getKeyPair(pair).getPrivate();
            } else {
                return null;
            }
        } catch (RuntimeException | IOException e) {
            return null;
        }
        if (!matches(certificate, key)) {
            return null;
        }
        Instant now = Instant.now();
        if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE)) || certificate.getNotBefore().toInstant().isAfter(now)) {
            return null;
        }
        if (!subjectAlternativeNames(certificate).containsAll(REQUIRED_NAMES)) {
            return null;
        }
        return new TlsCertificate(certPath, certificate, key);
    }

    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        try {
            byte[] probe = "switchboard".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(certificate.getSigAlgName());
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(certificate.getSigAlgName());
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Set<String> subjectAlternativeNames(X509Certificate certificate) throws GeneralSecurityException {
        Set<String> names = new HashSet<>();
        Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
        if (entries != null) {
            for (List<?> entry : entries) {
                names.add(String.valueOf(entry.get(1)));
            }
        }
        return names;
    }

    private static TlsCertificate create(Path certPath, Path keyPath)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();

        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=Switchboard local gateway,O=Switchboard");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject, new BigInteger(128, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                subject, pair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));

        writeAtomically(keyPath, pem(new JcaPKCS8Generator(pair.getPrivate(), null)), true);
        writeAtomically(certPath, pem(certificate), false);
        return new TlsCertificate(certPath, certificate, pair.getPrivate());
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system; the temp file is already private to the user
                }
            }
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII)) {
                writer.write(content);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
