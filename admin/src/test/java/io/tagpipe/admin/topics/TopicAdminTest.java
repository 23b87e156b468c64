package io.tagpipe.admin.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.tagpipe.wire.ProcessorTopics;
import io.tagpipe.wire.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicAdminTest {

    @Test
    void createsEveryProcessorTopic_includingACompactedSinglePartitionPressureTopic() {
        ProcessorTopics topics = ProcessorTopics.defaults();
        List<NewTopic> wanted = TopicAdmin.wanted(topics, 4, (short) 1);

        assertThat(wanted).extracting(NewTopic::name).containsExactlyInAnyOrderElementsOf(topics.all());
        NewTopic pressure = wanted.stream().filter(t -> t.name().equals(Topics.PRESSURE)).findFirst().orElseThrow();
        assertThat(pressure.numPartitions()).isEqualTo(1);
        assertThat(pressure.configs()).isEqualTo(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        NewTopic records = wanted.stream().filter(t -> t.name().equals(Topics.RECORDS)).findFirst().orElseThrow();
        assertThat(records.numPartitions()).isEqualTo(4);
    }

    @Test
    void prefixedTopicsPrefixThePressureTopicToo() {
        assertThat(TopicAdmin.wanted(ProcessorTopics.prefixed("t1-"), 2, (short) 1)).extracting(NewTopic::name)
                .contains("t1-" + Topics.PRESSURE);
    }
}
