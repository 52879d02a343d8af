package io.gatehouse.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class VirtualKeySecretsTest {
    private final VirtualKeySecrets secrets = new VirtualKeySecrets();

    @Test
    void issuedSecretsArePrefixedBase62WithTheirHashAndAShortDisplayPrefix() {
        VirtualKeySecrets.Issued issued = secrets.issue();

        assertThat(issued.secret()).matches("gh-[0-9A-Za-z]{43}");
        assertThat(VirtualKeySecrets.looksLikeKey(issued.secret())).isTrue();
        assertThat(issued.hash()).isEqualTo(VirtualKeySecrets.hash(issued.secret())).matches("[0-9a-f]{64}");
        assertThat(issued.displayPrefix()).isEqualTo(issued.secret().substring(0, 9));
        assertThat(issued.toString()).doesNotContain(issued.secret());
    }

    @Test
    void secretsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(secrets.issue().secret())).isTrue();
        }
    }

    @Test
    void knownSha256OfASecret() {
        // sha256("abc"), so the stored form stays what other tools compute
        assertThat(VirtualKeySecrets.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void malformedKeysAreRecognisedWithoutALookup() {
        assertThat(VirtualKeySecrets.looksLikeKey(null)).isFalse();
        assertThat(VirtualKeySecrets.looksLikeKey("sk-proj-abc")).isFalse();
        assertThat(VirtualKeySecrets.looksLikeKey("gh-" + "a".repeat(42))).isFalse();
        assertThat(VirtualKeySecrets.looksLikeKey("gh-" + "a".repeat(42) + "-")).isFalse();
    }

    @Test
    void constantTimeEqualsComparesWholeValues() {
        assertThat(VirtualKeySecrets.constantTimeEquals("same-token", "same-token")).isTrue();
        assertThat(VirtualKeySecrets.constantTimeEquals("same-token", "same-tokeN")).isFalse();
        assertThat(VirtualKeySecrets.constantTimeEquals("same-token", "same-token-longer")).isFalse();
        assertThat(VirtualKeySecrets.constantTimeEquals(null, "x")).isFalse();
    }
}
