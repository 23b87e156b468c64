package io.tagpipe.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void everyDefaultTopicAndLaneIsAValidName() {
        assertThat(ProcessorTopics.defaults().all()).allMatch(Topics::isValidName);
        assertThat(ProcessorTopics.prefixed("it-1.").lanes()).allMatch(Topics::isValidName);
    }

    @Test
    void rejectsWhatKafkaRejects() {
        assertThat(Topics.isValidName(null)).isFalse();
        assertThat(Topics.isValidName("")).isFalse();
        assertThat(Topics.isValidName(".")).isFalse();
        assertThat(Topics.isValidName("..")).isFalse();
        assertThat(Topics.isValidName("tagpipe kept")).isFalse();
        assertThat(Topics.isValidName("tagpipe/kept")).isFalse();
        assertThat(Topics.isValidName("tagpipe.kept,tagpipe.kept.low")).isFalse();
        assertThat(Topics.isValidName("x".repeat(250))).isFalse();
        assertThat(Topics.isValidName("x".repeat(249))).isTrue();
        assertThat(Topics.isValidName("Team_A-logs.v2")).isTrue();
    }
}
