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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every partition of --topics (comma-separated) from the beginning to the end offsets it
 * finds at start, without a group, and reports each record (topic, partition, offset, value) and
 * each error the consumer raised (e.g. CorruptRecordException) with the partition it concerns; a
 * partition that errors is paused and the others read on. --check-crcs sets check.crcs (Kafka's
 * default true; false means the client trusts whatever batch the broker sends). Connection
 * security: see ClientSecurity.
 */
public final class ReadPartitions {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    long deadline = System.currentTimeMillis() + a.getLong("timeout-ms", 60_000);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CHECK_CRCS_CONFIG, a.get("check-crcs", "true"));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    ClientSecurity.apply(a, p);

    List<Map<String, Object>> records = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    boolean timedOut = false;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> all = new ArrayList<>();
      for (String topic : a.get("topics").split(",")) {
        for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          all.add(new TopicPartition(topic, pi.partition()));
        }
      }
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> end = consumer.endOffsets(all, Duration.ofSeconds(30));
      Set<TopicPartition> open = new HashSet<>(all);
      Map<TopicPartition, Integer> failures = new HashMap<>();
      while (!open.isEmpty()) {
        if (System.currentTimeMillis() > deadline) {
          timedOut = true;
          break;
        }
        open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
        if (open.isEmpty()) break;
        try {
          for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("t", r.topic());
            rec.put("p", r.partition());
            rec.put("o", r.offset());
            rec.put("v", r.value());
            records.add(rec);
          }
        } catch (KafkaException e) {
          // The exception does not always name the partition: pause the one(s) not advancing.
          Map<String, Object> err = new LinkedHashMap<>();
          err.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
          errors.add(err);
          for (TopicPartition tp : open) {
            if (e.getMessage() != null && e.getMessage().contains(tp.toString())) {
              failures.merge(tp, 1, Integer::sum);
            }
          }
          failures.forEach((tp, n) -> {
            if (n >= 3) consumer.pause(List.of(tp));
          });
          open.removeIf(tp -> failures.getOrDefault(tp, 0) >= 3);
          if (errors.size() > 50) break;
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("records", records);
    out.put("errors", errors);
    out.put("timedOut", timedOut);
    Json.emit(out);
  }
}
