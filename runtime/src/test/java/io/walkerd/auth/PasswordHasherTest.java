package io.walkerd.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHasherTest {
    private static final String VECTOR = "$pbkdf2-sha512$25000$jzwamy1OX2BxgpOktcbX6A$drKTNbc6LtYfYa.6BIXAWFX3LCyeiQwaZwOaEeQO6GSJBh8wfGYFh1lxtRYzYUzFEhEDrzPc4LelAIVcbQjJLQ";
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void passlibTestVectorVerifies() {
        assertThat(hasher.verify("string", VECTOR)).isTrue();
    }

    @Test
    void wrongPasswordDoesNotVerifyAgainstTheVector() {
        assertThat(hasher.verify("strinG", VECTOR)).isFalse();
        assertThat(hasher.verify("", VECTOR)).isFalse();
    }

    @Test
    void newHashesUsePasslibFormatAndVerify() {
        String h = hasher.hash("s3cret+/pw");
        assertThat(h).matches("\\$pbkdf2-sha512\\$25000\\$[A-Za-z0-9./]{22}\\$[A-Za-z0-9./]{86}");
        assertThat(hasher.verify("s3cret+/pw", h)).isTrue();
        assertThat(hasher.verify("s3cret+/pW", h)).isFalse();
    }

    @Test
    void malformedHashesAreRejectedNotThrown() {
        assertThat(hasher.verify("string", "$pbkdf2-sha512$x$y")).isFalse();
        assertThat(hasher.verify("string", "plain")).isFalse();
        assertThat(hasher.verify("string", null)).isFalse();
    }
}
