import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Measures the produce rate a broker grants: for --seconds sends records of --record-bytes to
 * --partition of --topic, asking for --bytes-per-second (paced, in batches of up to --batch-bytes),
 * with at most --in-flight records unacknowledged (so the producer stops when the broker throttles it instead of filling its buffer,
 * and closes at once). Reports the acknowledged value bytes per second since the start (by ack time),
 * the largest produce-throttle-time-max the client saw (sampled each second) and any failures.
 * Connection security: see ClientSecurity.
 */
public final class ProduceRate {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String topic = a.get("topic");
    int partition = a.getInt("partition", 0);
    int seconds = a.getInt("seconds", 20);
    int recordBytes = a.getInt("record-bytes", 8192);
    long askedRate = a.getLong("bytes-per-second", 1 << 20);
    int inFlight = a.getInt("in-flight", 256);

    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    // One partition means one batch per request and at most 5 requests in flight: batches must be
    // large for the client itself not to be the limit.
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, a.getInt("batch-bytes", 256 * 1024));
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    ClientSecurity.apply(a, p);

    AtomicLongArray ackedBySecond = new AtomicLongArray(seconds + 60);
    AtomicLong throttleMaxMs = new AtomicLong(0);
    List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
    Semaphore window = new Semaphore(inFlight);
    byte[] value = new byte[recordBytes];
    long sent = 0;
    long start = System.nanoTime();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      sampler.scheduleAtFixedRate(
          () -> throttleMaxMs.accumulateAndGet(throttleTimeMax(producer), Math::max),
          1,
          1,
          TimeUnit.SECONDS);
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end) {
        // Paced: record i leaves no earlier than i * recordBytes / askedRate after the start.
        long due = start + sent * recordBytes * 1_000_000_000L / askedRate;
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        if (!window.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
        producer.send(
            new ProducerRecord<>(topic, partition, null, value),
            (md, err) -> {
              window.release();
              if (err == null) {
                int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                if (second < ackedBySecond.length()) ackedBySecond.addAndGet(second, recordBytes);
              } else if (failed.size() < 20) {
                failed.add(err.toString());
              }
            });
        sent++;
      }
      producer.flush();
      throttleMaxMs.accumulateAndGet(throttleTimeMax(producer), Math::max);
    } finally {
      sampler.shutdownNow();
    }
    List<Long> bySecond = new ArrayList<>();
    for (int i = 0; i < seconds + 1; i++) bySecond.add(ackedBySecond.get(i));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sent", sent);
    out.put("recordBytes", recordBytes);
    out.put("ackedBytesBySecond", bySecond);
    out.put("throttleTimeMaxMs", throttleMaxMs.get());
    out.put("failed", Json.list(failed));
    Json.emit(out);
  }

  /** The client's produce-throttle-time-max (NaN before any sample counts as 0). */
  private static long throttleTimeMax(KafkaProducer<byte[], byte[]> producer) {
    for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.group().equals("producer-metrics") && n.name().equals("produce-throttle-time-max")) {
        Object v = e.getValue().metricValue();
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) return Math.round(d);
      }
    }
    return 0;
  }
}
