import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end latency: a producer sends fixed-size records at a fixed rate with System.nanoTime()
 * in the first 8 bytes, round-robin over the topic's first `partitions` partitions; a consumer in
 * the same JVM (those partitions assigned, positioned at the end) records receive time minus send
 * time. Prints one JSON line.
 * The first `warmupSeconds` of sends (same rate) are consumed but not measured, as OpenMessaging
 * Benchmark's warm-up: without it the first seconds measure the client JVM's JIT compilation (the
 * same for both brokers) and set p99 on their own.
 * Args: bootstrap topic ratePerSec seconds [size [partitions [acks [lingerMs [warmupSeconds]]]]]
 */
public final class E2eLatency {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int size = args.length > 4 ? Integer.parseInt(args[4]) : 1024;
    int partitions = args.length > 5 ? Integer.parseInt(args[5]) : 1;
    String acks = args.length > 6 ? args[6] : "1";
    String lingerMs = args.length > 7 ? args[7] : "0";
    int warmup = args.length > 8 ? Integer.parseInt(args[8]) : 0;
    int total = Math.max(1, rate * seconds);
    int warmupTotal = rate * warmup;

    Properties cp = new Properties();
    cp.put("bootstrap.servers", bootstrap);
    cp.put("enable.auto.commit", "false");
    cp.put("fetch.max.wait.ms", "100");
    Properties pp = new Properties();
    pp.put("bootstrap.servers", bootstrap);
    pp.put("acks", acks);
    pp.put("linger.ms", lingerMs);

    long[] lat = new long[total];
    int got = 0;
    List<TopicPartition> tps = new java.util.ArrayList<>();
    for (int i = 0; i < partitions; i++) tps.add(new TopicPartition(topic, i));
    try (KafkaConsumer<byte[], byte[]> c =
            new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> p =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      c.assign(tps);
      c.seekToEnd(tps);
      for (TopicPartition tp : tps) c.position(tp); // resolve the end offsets before the first send
      Thread sender =
          new Thread(
              () -> {
                long start = System.nanoTime();
                long interval = 1_000_000_000L / Math.max(1, rate);
                for (int i = 0; i < warmupTotal + total; i++) {
                  long due = start + i * interval;
                  // Parks, never spins (as OpenMessaging Benchmark's rate limiter): on 2 cores a
                  // spinning sender takes a core from the broker under test. Late wake-ups are
                  // caught up, since `due` is absolute.
                  long now;
                  while ((now = System.nanoTime()) < due) LockSupport.parkNanos(due - now);
                  byte[] v = new byte[size];
                  // byte 8 marks a measured record (1) or a warm-up one (0)
                  ByteBuffer.wrap(v).putLong(System.nanoTime()).put((byte) (i >= warmupTotal ? 1 : 0));
                  p.send(new ProducerRecord<>(topic, i % partitions, null, v));
                }
                p.flush();
              });
      sender.start();
      long deadline = System.nanoTime() + (warmup + seconds + 30L) * 1_000_000_000L;
      while (got < total && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          byte[] v = r.value();
          if (v == null || v.length < 9 || v[8] != 1 || got >= total) continue;
          lat[got++] = now - ByteBuffer.wrap(v).getLong();
        }
      }
      sender.join();
    }
    long[] s = Arrays.copyOf(lat, got);
    Arrays.sort(s);
    System.out.printf(
        "{\"count\":%d,\"sent\":%d,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}%n",
        got, total, pct(s, 0.5), pct(s, 0.99), pct(s, 0.999), got > 0 ? s[got - 1] / 1e6 : Double.NaN);
  }

  private static double pct(long[] s, double q) {
    if (s.length == 0) return Double.NaN;
    int i = (int) Math.min(s.length - 1, Math.ceil(q * s.length) - 1);
    return s[Math.max(0, i)] / 1e6;
  }
}
