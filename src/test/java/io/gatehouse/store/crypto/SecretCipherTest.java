package io.gatehouse.store.crypto;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {
    private static final String PROVIDER_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789";

    private final SecretCipher cipher = new SecretCipher(MasterKey.fromBytes(new byte[32]));

    @Test
    void roundTripsWithTheSameAssociatedData() {
        String sealed = cipher.encrypt(PROVIDER_KEY, "project-1|openai");

        assertThat(sealed).startsWith("v1:" + cipher.keyId() + ":").doesNotContain(PROVIDER_KEY);
        assertThat(cipher.decrypt(sealed, "project-1|openai")).isEqualTo(PROVIDER_KEY);
    }

    @Test
    void everyEncryptionUsesAFreshNonce() {
        assertThat(cipher.encrypt(PROVIDER_KEY, "a")).isNotEqualTo(cipher.encrypt(PROVIDER_KEY, "a"));
    }

    @Test
    void otherAssociatedDataFailsToDecrypt() {
        String sealed = cipher.encrypt(PROVIDER_KEY, "project-1|openai");

        assertThatThrownBy(() -> cipher.decrypt(sealed, "project-2|openai"))
                .isInstanceOf(SecretCipherException.class).hasMessageContaining("altered or belongs to another record");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "project-1|anthropic")).isInstanceOf(SecretCipherException.class);
    }

    @Test
    void anAlteredCiphertextFailsToDecrypt() {
        String sealed = cipher.encrypt(PROVIDER_KEY, "ad");
        String[] parts = sealed.split(":", 3);
        byte[] data = Base64.getDecoder().decode(parts[2]);
        data[data.length - 20] ^= 1;
        String altered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(data);

        assertThatThrownBy(() -> cipher.decrypt(altered, "ad")).isInstanceOf(SecretCipherException.class);
    }

    @Test
    void aValueSealedUnderAnotherMasterKeyNamesBothKeyIds() {
        byte[] otherBytes = new byte[32];
        otherBytes[0] = 1;
        SecretCipher other = new SecretCipher(MasterKey.fromBytes(otherBytes));
        String sealed = other.encrypt(PROVIDER_KEY, "ad");

        assertThatThrownBy(() -> cipher.decrypt(sealed, "ad"))
                .hasMessageContaining(other.keyId()).hasMessageContaining(cipher.keyId()).hasMessageNotContaining(PROVIDER_KEY);
    }

    @Test
    void malformedValuesAreRefusedClearly() {
        assertThatThrownBy(() -> cipher.decrypt(PROVIDER_KEY, "ad")).hasMessageContaining("not a Gatehouse ciphertext");
        assertThatThrownBy(() -> cipher.decrypt("v1:" + cipher.keyId() + ":AAAA", "ad")).hasMessageContaining("truncated");
    }
}
