import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Three members of one consumer group (classic protocol, default assignor) join one after the
 * other and then leave one after the other; after each step the program waits until the live
 * members' assignments are disjoint and cover every partition of --topic, and records them.
 * Every member also consumes, so the report includes which records the group read.
 */
public final class GroupMembership {
  static final class Member implements Runnable {
    final String name;
    final Properties props;
    final String topic;
    final AtomicBoolean stop = new AtomicBoolean(false);
    final Set<Integer> assignment = ConcurrentHashMap.newKeySet();
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    volatile int rebalances = 0;
    volatile Throwable error;
    final Thread thread;

    Member(String name, Properties props, String topic) {
      this.name = name;
      this.props = props;
      this.topic = topic;
      this.thread = new Thread(this, name);
    }

    @Override
    public void run() {
      try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props)) {
        c.subscribe(
            List.of(topic),
            new ConsumerRebalanceListener() {
              @Override
              public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                for (TopicPartition tp : parts) assignment.remove(tp.partition());
              }

              @Override
              public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                for (TopicPartition tp : parts) assignment.add(tp.partition());
                rebalances++;
              }

              @Override
              public void onPartitionsLost(Collection<TopicPartition> parts) {
                onPartitionsRevoked(parts);
              }
            });
        while (!stop.get()) {
          for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
            seen.add(r.partition() + ":" + r.offset());
          }
        }
        // close() sends LeaveGroup, so the others rebalance at once.
      } catch (Throwable t) {
        error = t;
      }
      assignment.clear();
    }
  }

  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String topic = a.get("topic");
    int partitions = a.getInt("partitions", 6);
    long stepTimeoutMs = a.getLong("step-timeout-ms", 60_000);
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, a.get("group"));
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());

    List<Member> members = new ArrayList<>();
    List<Map<String, Object>> steps = new ArrayList<>();
    String failure = null;
    try {
      for (int i = 1; i <= 3; i++) {
        Member m = new Member("member-" + i, p, topic);
        members.add(m);
        m.thread.start();
        steps.add(awaitBalanced("join member-" + i, members, partitions, stepTimeoutMs));
      }
      for (int i = 3; i >= 2; i--) {
        Member m = members.remove(members.size() - 1);
        m.stop.set(true);
        m.thread.join(30_000);
        if (m.error != null) throw new IllegalStateException(m.name + " failed", m.error);
        steps.add(awaitBalanced("leave member-" + i, members, partitions, stepTimeoutMs));
      }
    } catch (IllegalStateException e) {
      failure = e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause());
    }
    Set<String> seen = new TreeSet<>();
    List<Member> all = new ArrayList<>(members);
    for (Member m : all) {
      m.stop.set(true);
      m.thread.join(30_000);
    }
    for (Member m : all) seen.addAll(m.seen);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("steps", steps);
    out.put("failure", failure);
    out.put("seenCount", seen.size());
    Json.emit(out);
  }

  /** Waits until the live members hold disjoint, non-empty assignments covering all partitions. */
  private static Map<String, Object> awaitBalanced(
      String step, List<Member> live, int partitions, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      Map<String, Object> snapshot = new LinkedHashMap<>();
      Set<Integer> union = new HashSet<>();
      int total = 0;
      boolean allNonEmpty = true;
      for (Member m : live) {
        if (m.error != null) throw new IllegalStateException(m.name + " failed", m.error);
        List<Integer> parts = new ArrayList<>(new TreeSet<>(m.assignment));
        snapshot.put(m.name, parts);
        union.addAll(parts);
        total += parts.size();
        allNonEmpty &= !parts.isEmpty();
      }
      if (allNonEmpty && total == partitions && union.size() == partitions) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("step", step);
        r.put("assignment", snapshot);
        return r;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(step + ": not balanced within " + timeoutMs + " ms: " + snapshot);
      }
      Thread.sleep(100);
    }
  }
}
