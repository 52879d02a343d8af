package io.gatehouse.store;

/**
 * A storage failure worded for an operator. Its message names what failed, never a value that was being
 * stored, so it is safe to log and to return to a management client.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
