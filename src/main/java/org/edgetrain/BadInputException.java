package org.edgetrain;

/**
 * Input a user must fix: a config key, a data file, a model file, a command-line flag. The message is one line that
 * names the file, line or key, what was found and what is allowed; the CLI prints it and exits with code 2.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
