package io.tagpipe.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {
    @ParameterizedTest
    @ValueSource(strings = {"ssl.keystore.key", "sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password",
        "ssl.key.password", "producer.ssl.keystore.password", "SASL.JAAS.CONFIG", "sasl.oauthbearer.client.credentials.client.secret",
        "basic.auth.password"})
    void masksKeysJaasAndEveryPassword(String key) {
        assertThat(Secrets.isSecret(key)).isTrue();
        assertThat(Secrets.masked(Map.of(key, "s3cr3t"))).containsEntry(key, Secrets.MASK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bootstrap.servers", "security.protocol", "sasl.mechanism", "ssl.keystore.location",
        "ssl.keystore.type", "ssl.truststore.certificates", "key.serializer", "session.timeout.ms"})
    void printsOrdinarySettings(String key) {
        assertThat(Secrets.isSecret(key)).isFalse();
        assertThat(Secrets.masked(Map.of(key, "v"))).containsEntry(key, "v");
    }
}
