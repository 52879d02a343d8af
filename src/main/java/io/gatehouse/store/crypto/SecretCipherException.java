package io.gatehouse.store.crypto;

/** A stored secret that cannot be decrypted; the message never contains the secret or its ciphertext. */
public final class SecretCipherException extends RuntimeException {
    public SecretCipherException(String message) {
        super(message);
    }
}
