package io.gatehouse.store.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * AES-256-GCM for secrets at rest. Each value gets a fresh random 96-bit nonce and is written as
 * {@code v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>}. The caller's associated data (for a provider key: its
 * project id and provider) is authenticated but not stored, so a ciphertext copied to another row does not
 * decrypt there.
 */
public final class SecretCipher {
    private static final String FORMAT = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey current;
    private final Map<String, MasterKey> byId;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(MasterKey key) {
        this.current = key;
        this.byId = Map.of(key.id(), key);
    }

    public String encrypt(String plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return FORMAT + ":" + current.id() + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this Java runtime", e);
        }
    }

    /**
     * @throws SecretCipherException when the value was sealed under another key, for other associated data, or
     *                               altered; the message says which, without any part of the value
     */
    public String decrypt(String stored, String associatedData) {
        String[] parts = stored.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(FORMAT)) {
            throw new SecretCipherException("not a Gatehouse ciphertext (expected " + FORMAT + ":KEYID:DATA)");
        }
        MasterKey key = byId.get(parts[1]);
        if (key == null) {
            throw new SecretCipherException("sealed under master key " + parts[1] + ", but the loaded master key is " + current.id());
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SecretCipherException("the ciphertext is not valid base64");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretCipherException("the ciphertext is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            String text = new String(plain, StandardCharsets.UTF_8);
            Arrays.fill(plain, (byte) 0);
            return text;
        } catch (AEADBadTagException e) {
            throw new SecretCipherException("the ciphertext was altered or belongs to another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this Java runtime", e);
        }
    }

    public String keyId() {
        return current.id();
    }
}
