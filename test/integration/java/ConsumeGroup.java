import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer-group member that reads until it has seen --max distinct records (from the group's
 * committed position, or the earliest offset for a new group), committing synchronously after
 * every record batch with the exact next offsets, and reports what it read (redeliveries
 * included) and what the group has committed for every partition of the topic. Commits are
 * retried while the broker is unavailable (a restart may happen mid-consumption), bounded by
 * --timeout-ms. With --max 0 it only reports the committed offsets. Connection security: see
 * ClientSecurity.
 */
public final class ConsumeGroup {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String topic = a.get("topic");
    int max = a.getInt("max", 100);
    long deadline = System.currentTimeMillis() + a.getLong("timeout-ms", 60_000);
    long pollSleepMs = a.getLong("poll-sleep-ms", 0);

    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, a.get("group"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, a.get("max-poll-records", "100"));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    ClientSecurity.apply(a, p);

    List<Map<String, Object>> records = new ArrayList<>();
    Set<String> distinct = new HashSet<>();
    List<String> commitErrors = new ArrayList<>();
    Map<String, Object> committedOut = new LinkedHashMap<>();
    boolean timedOut = false;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      int lastProgress = 0;
      outer:
      while (distinct.size() < max) {
        if (System.currentTimeMillis() > deadline) {
          timedOut = true;
          break;
        }
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          Map<String, Object> rec = new LinkedHashMap<>();
          rec.put("p", r.partition());
          rec.put("o", r.offset());
          rec.put("v", r.value());
          records.add(rec);
          distinct.add(r.partition() + ":" + r.offset());
          toCommit.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1, "it"));
          if (distinct.size() >= max) {
            commitWithRetry(consumer, toCommit, deadline, commitErrors);
            break outer;
          }
        }
        if (!toCommit.isEmpty()) commitWithRetry(consumer, toCommit, deadline, commitErrors);
        if (distinct.size() - lastProgress >= 100) {
          lastProgress = distinct.size();
          Map<String, Object> progress = new LinkedHashMap<>();
          progress.put("progress", distinct.size());
          Json.emit(progress);
        }
        if (pollSleepMs > 0) Thread.sleep(pollSleepMs);
      }
      Set<TopicPartition> all = new HashSet<>();
      for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        all.add(new TopicPartition(topic, pi.partition()));
      }
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e :
          consumer.committed(all, Duration.ofSeconds(30)).entrySet()) {
        committedOut.put(
            e.getKey().toString(), e.getValue() == null ? null : e.getValue().offset());
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", records.size());
    out.put("distinct", distinct.size());
    out.put("timedOut", timedOut);
    out.put("records", records);
    out.put("committed", committedOut);
    out.put("commitErrors", commitErrors);
    Json.emit(out);
  }

  private static void commitWithRetry(
      KafkaConsumer<String, String> consumer,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      long deadline,
      List<String> errors)
      throws InterruptedException {
    while (true) {
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(10));
        return;
      } catch (KafkaException e) {
        // Retriable while the coordinator restarts; a CommitFailedException (rebalanced away)
        // is recorded too, the test decides whether that is acceptable.
        errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
        if (System.currentTimeMillis() > deadline || errors.size() > 50) throw e;
        Thread.sleep(500);
      }
    }
  }
}
