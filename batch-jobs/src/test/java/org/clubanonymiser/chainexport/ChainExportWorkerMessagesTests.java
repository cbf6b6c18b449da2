package org.clubanonymiser.chainexport;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.ObjectMessage;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;


import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.support.converter.MessageConversionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the chain-export worker accepts from its queue: map messages only (an object message is refused before its
 * body is read), and a connection factory that deserialises nothing. The end-to-end proof, a serialised "gadget" sent
 * to real workers, is in the application's {@code ChainExportRemotePartitioningTests}.
 */
class ChainExportWorkerMessagesTests {

    @Test
    void anObjectMessageIsRefusedWithoutReadingItsBody() throws Exception {
        AtomicBoolean bodyRead = new AtomicBoolean();
        ObjectMessage message = (ObjectMessage) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ObjectMessage.class }, (proxy, method, arguments) -> {
                    if (method.getName().startsWith("get") && method.getName().contains("Object")
                            || method.getName().equals("getBody")) {
                        bodyRead.set(true);
                    }
                    return method.getName().equals("toString") ? "object message" : null;
                });

        assertThat(new ChainExportRemotePartitioningConfiguration.MapMessagesOnly().fromMessage(message))
            .isSameAs(ChainExportRemotePartitioningConfiguration.MapMessagesOnly.REFUSED);
        assertThat(bodyRead).isFalse();
    }

    @Test
    void onlyMapsAreSent() {
        assertThatExceptionOfType(MessageConversionException.class)
            .isThrownBy(() -> new ChainExportRemotePartitioningConfiguration.MapMessagesOnly().toMessage("text", null))
            .withMessageContaining("Only map messages");
    }

    @Test
    void theArtemisConnectionFactoryDeserialisesNothingEvenBehindSpringsCache() {
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory("vm://0");
        try (artemis) {
            assertThat(ChainExportRemotePartitioningConfiguration.noDeserialization(new CachingConnectionFactory(artemis)))
                .isTrue();
            assertThat(artemis.getDeserializationDenyList()).isEqualTo("*");
            assertThat(artemis.getDeserializationAllowList())
                .isEqualTo(ChainExportRemotePartitioningConfiguration.DESERIALIZATION_ALLOW_LIST);
            assertThat(ChainExportRemotePartitioningConfiguration.noDeserialization(new Object())).isFalse();
        }
    }
}
