package org.edgetrain.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file edgetrain reads is not what it should be; the message names the file and what was wrong. */
public final class FormatException extends IOException {
    public FormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
