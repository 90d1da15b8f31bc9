package org.edgetrain.connect.serial;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.edgetrain.config.SourceConfig;
import org.edgetrain.ingest.SourceStats;
import org.edgetrain.ingest.files.DelimitedText;
import org.edgetrain.ingest.files.LineSource;

/**
 * CSV lines from a serial port ({@code source.type = serial}): a microcontroller printing one reading per line, as
 * Edge Impulse's data forwarder takes them. Parsing, skipping and counting are the CSV file's ({@link DelimitedText});
 * without {@code source.header} each line holds the columns in order.
 *
 * <p>The port is the tty device file itself, configured with {@code stty} (baud, parity, data and stop bits, raw, no
 * echo, and reads that return after 0.1 s of silence), and read through a {@link FileChannel}: no native library, and
 * a pseudo-terminal (socat, a test) is the same to the kernel's tty layer as a USB adapter. An unplugged adapter (the
 * device file gone, replaced by a new one, or a read that fails with EIO) is reported by {@link #read} as an
 * {@link IOException}; the source runner then re-probes it ({@link #open}) until it is back, like a vanished I2C
 * sensor. Nothing is allocated per line.
 */
public final class SerialSource extends LineSource {
    private static final long CHECK_NANOS = 500_000_000L; // how often a silent port checks that its device file is still its own

    private final Path device;
    private final SourceConfig cfg;
    private Object openedKey;
    private long lastCheck;

    public SerialSource(SourceConfig cfg, SourceStats stats) {
        super(cfg.device().toString(), cfg.columns(), new DelimitedText(cfg.device().toString(), cfg.columns(), stats, cfg.columns().size(), cfg.header()));
        this.cfg = cfg;
        this.device = cfg.device();
    }

    /** Configures the port with stty and opens it; the next line is a header again when {@code source.header} is set. */
    @Override
    public void open() throws IOException {
        close();
        if (!Files.exists(device)) throw new IOException(device + ": no such device (unplugged?)");
        stty();
        channel = FileChannel.open(device, StandardOpenOption.READ);
        openedKey = key();
        lastCheck = System.nanoTime();
        text.reset();
    }

    /** {@code stty -F DEVICE 115200 raw -echo cs8 -parenb -cstopb clocal min 0 time 1}. */
    private void stty() throws IOException {
        List<String> cmd = new ArrayList<>(List.of("stty", "-F", device.toString(), Integer.toString(cfg.baud()), "raw", "-echo",
                "cs" + cfg.dataBits(), cfg.parity() == 'n' ? "-parenb" : "parenb", cfg.parity() == 'o' ? "parodd" : "-parodd",
                cfg.stopBits() == 2 ? "cstopb" : "-cstopb", "clocal", "-crtscts", "min", "0", "time", "1"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(device + ": stty did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(device + ": interrupted while configuring");
        }
        if (p.exitValue() != 0) {
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(device + ": stty failed: " + (msg.isEmpty() ? "exit " + p.exitValue() : msg.lines().findFirst().orElse("")));
        }
    }

    /** The identity of the device file (inode and device number), following a symlink such as socat's link=. */
    private Object key() throws IOException {
        return Files.readAttributes(device, "unix:ino,rdev").toString();
    }

    @Override
    public long read(float[] values, int offset) throws IOException {
        if (channel == null) open();
        int r = nextLine(values, offset);
        return r > 0 ? System.nanoTime() : NO_SAMPLE;
    }

    @Override
    protected int fill(byte[] buf, int off, int len) throws IOException {
        int n;
        try {
            n = readChannel(buf, off, len); // EIO when the other end is gone
        } catch (IOException e) {
            close(); // every later read re-opens, and fails until the device is back: the runner counts and re-probes
            throw e;
        }
        if (n > 0) return n;
        // 0.1 s of silence (the JDK reports a tty read of 0 bytes as -1): is the device still the one we opened?
        long now = System.nanoTime();
        if (now - lastCheck > CHECK_NANOS) {
            lastCheck = now;
            String why = !Files.exists(device) ? "the device is gone (unplugged?)"
                    : !key().equals(openedKey) ? "the device was replaced (plugged in again?)" : null;
            if (why != null) {
                close();
                throw new IOException(device + ": " + why);
            }
        }
        return 0;
    }

    /** A serial line keeps sending whether we read or not. */
    @Override
    public boolean live() {
        return true;
    }
}
