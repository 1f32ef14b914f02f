import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A producer with the client's default settings (in kafka-clients 4.x: enable.idempotence=true,
 * acks=all). Sends --count records "prefix-i" keyed "k-i", optionally paced (--interval-ms between
 * sends, so a broker restart can happen mid-stream), and reports which records were acknowledged.
 * Connection security: see ClientSecurity.
 */
public final class ProduceDefaults {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String topic = a.get("topic");
    int count = a.getInt("count", 100);
    long intervalMs = a.getLong("interval-ms", 0);
    String prefix = a.get("prefix", "v");

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    // Nothing else but the connection's security options: the defaults are what this program checks.
    ClientSecurity.apply(a, p);

    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    Map<Integer, Long> maxOffset = new java.util.concurrent.ConcurrentHashMap<>();
    String idempotence;
    String acks;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      // The effective configuration, as the producer resolved it.
      idempotence = String.valueOf(new ProducerConfig(p).getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
      acks = new ProducerConfig(p).getString(ProducerConfig.ACKS_CONFIG);
      for (int i = 0; i < count; i++) {
        String value = prefix + "-" + i;
        producer.send(
            new ProducerRecord<>(topic, "k-" + i, value),
            (md, err) -> {
              if (err == null) {
                acked.add(value);
                maxOffset.merge(md.partition(), md.offset(), Math::max);
              } else {
                failed.add(value + ": " + err);
              }
            });
        if (intervalMs > 0) {
          Thread.sleep(intervalMs);
          if (i % 50 == 0) {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("progress", i);
            Json.emit(progress);
          }
        }
      }
      producer.flush();
      producer.close(java.time.Duration.ofSeconds(30));
    }
    List<String> ackedList = new ArrayList<>(acked);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enableIdempotence", idempotence);
    out.put("acks", acks);
    out.put("sent", count);
    out.put("acked", ackedList);
    out.put("failed", Json.list(failed));
    out.put("maxOffsetByPartition", maxOffset);
    Json.emit(out);
    TimeUnit.MILLISECONDS.sleep(1);
  }
}
