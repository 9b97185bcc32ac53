package org.medledger.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;

import org.medledger.protocol.common.SecretBytes;

/**
 * The device-bound secret {@code B_P} of a patient's smart device (seed 000). It is generated
 * on the device the first time and kept in a file readable only by its owner.
 */
public final class DeviceSecrets {

    public static final int LENGTH = 32;

    private DeviceSecrets() {
    }

    /** Reads {@code B_P} from {@code file}, creating it with fresh randomness if it does not exist. */
    public static SecretBytes loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            byte[] b = Files.readAllBytes(file);
            try {
                if (b.length != LENGTH) {
                    throw new IOException("device secret " + file + " has the wrong length");
                }
                return SecretBytes.copyOf(b);
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        try {
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file keeps the platform's default protection
            }
            Files.write(file, b, StandardOpenOption.TRUNCATE_EXISTING);
            return SecretBytes.copyOf(b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }
}
