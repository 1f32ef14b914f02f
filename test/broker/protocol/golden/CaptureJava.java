// Drives the Java client (kafka-clients 4.x) against the fake broker of capture-clients.ts:
// an idempotent producer (defaults: acks=all) with zstd, a consumer without group (assign + seek
// to beginning + poll) and an AdminClient creating and deleting a topic.
// Usage: java -cp "<libs>/*" CaptureJava.java HOST:PORT
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class CaptureJava {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String step = args.length > 1 ? args[1] : "all";
    if (step.equals("all") || step.equals("producer")) {
      Properties p = new Properties();
      p.put("bootstrap.servers", bootstrap);
      p.put("client.id", "golden");
      p.put("compression.type", "zstd");
      p.put("key.serializer", StringSerializer.class.getName());
      p.put("value.serializer", StringSerializer.class.getName());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        producer.send(new ProducerRecord<>("t1", "k", "{\"a\":1}")).get();
      }
    }
    if (step.equals("all") || step.equals("consumer")) {
      Properties c = new Properties();
      c.put("bootstrap.servers", bootstrap);
      c.put("client.id", "golden");
      c.put("key.deserializer", StringDeserializer.class.getName());
      c.put("value.deserializer", StringDeserializer.class.getName());
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
        TopicPartition tp = new TopicPartition("t1", 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        for (int i = 0; i < 3; i++) consumer.poll(Duration.ofMillis(300));
      }
    }
    if (step.equals("all") || step.equals("admin")) {
      Properties a = new Properties();
      a.put("bootstrap.servers", bootstrap);
      a.put("client.id", "golden");
      try (Admin admin = Admin.create(a)) {
        admin.createTopics(List.of(new NewTopic("t2", 3, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        admin.deleteTopics(List.of("t2")).all().get();
      }
    }
  }
}
