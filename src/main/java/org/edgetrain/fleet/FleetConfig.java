package org.edgetrain.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.edgetrain.BadInputException;
import org.edgetrain.config.ConfigFile;
import org.edgetrain.config.ConfigValues;
import org.edgetrain.config.ServiceKeys;

/**
 * The {@code [fleet]} section: the fleet API's loopback port (0: off, the default), the token file, and how long a
 * training request may wait for new windows.
 */
public final class FleetConfig {
    public static final Map<String, Set<String>> KEYS = ServiceKeys.FLEET; // listed in config, which knows every key

    /** The shortest token accepted: guessing 32 random characters is out of reach. */
    static final int MIN_TOKEN_CHARS = 16;

    final int port;
    final Path tokenFile;
    final long trainTimeoutMillis;
    final int maxRequestBytes;

    public FleetConfig(ConfigFile file, ConfigFile board) {
        ConfigValues v = new ConfigValues(file, board);
        port = v.intIn("fleet.port", 0, 0, 65_535);
        String tf = v.text("fleet.token_file", "");
        if (port > 0 && tf.isEmpty()) throw v.error("fleet.token_file", "", "a file holding the token (needed with fleet.port)");
        tokenFile = tf.isEmpty() ? null : Path.of(tf);
        trainTimeoutMillis = v.longIn("fleet.train_timeout_s", 600, 1, 86_400) * 1000L;
        maxRequestBytes = (int) Math.min(Integer.MAX_VALUE - 16, v.bytes("fleet.max_request_bytes", 64L << 20));
    }

    public boolean enabled() {
        return port > 0;
    }

    public int port() {
        return port;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    /** How long a training request may wait for new windows. */
    public long trainTimeoutMillis() {
        return trainTimeoutMillis;
    }

    /**
     * Reads the token, refusing a file that others than its owner may read (the token is the only thing between the
     * API and anyone with a shell on the board) or a token too short to resist guessing.
     */
    public String readToken() throws IOException {
        if (!Files.isRegularFile(tokenFile)) {
            throw new BadInputException("key fleet.token_file: " + tokenFile + " is not a readable file; create it with e.g. "
                    + "'head -c 32 /dev/urandom | base64 > " + tokenFile + "; chmod 600 " + tokenFile + "'");
        }
        PosixFileAttributeView view = Files.getFileAttributeView(tokenFile, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view != null) {
            Set<PosixFilePermission> p = view.readAttributes().permissions();
            if (p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ)
                    || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new BadInputException("key fleet.token_file: " + tokenFile + " is readable or writable by group or others ("
                        + java.nio.file.attribute.PosixFilePermissions.toString(p) + "); allowed: the owner alone (chmod 600 " + tokenFile + ")");
            }
        }
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (token.length() < MIN_TOKEN_CHARS || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new BadInputException("key fleet.token_file: " + tokenFile + " holds a token of " + token.length()
                    + " characters; allowed: at least " + MIN_TOKEN_CHARS + " printable ASCII characters without spaces");
        }
        return token;
    }
}
