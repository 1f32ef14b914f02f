import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * AdminClient round trip: describeCluster, createTopics (with a config override), a duplicate
 * create (must fail with TopicExistsException), describeTopics, describeConfigs for the topic
 * and the broker, deleteTopics, then listTopics until the topic is gone. Reports every result.
 */
public final class AdminOps {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String topic = a.get("topic");
    int partitions = a.getInt("partitions", 3);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    Map<String, Object> out = new LinkedHashMap<>();
    try (Admin admin = Admin.create(p)) {
      DescribeClusterResult cluster = admin.describeCluster();
      Collection<Node> nodes = cluster.nodes().get(30, TimeUnit.SECONDS);
      List<Integer> nodeIds = new ArrayList<>();
      for (Node n : nodes) nodeIds.add(n.id());
      out.put("nodes", nodeIds);
      out.put("controller", cluster.controller().get(30, TimeUnit.SECONDS).id());

      NewTopic nt = new NewTopic(topic, Optional.of(partitions), Optional.empty());
      nt.configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete"));
      admin.createTopics(List.of(nt)).all().get(30, TimeUnit.SECONDS);
      out.put("created", true);
      try {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        out.put("duplicateCreate", "succeeded");
      } catch (ExecutionException e) {
        out.put("duplicateCreate", e.getCause().getClass().getSimpleName());
      }

      TopicDescription td =
          admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      out.put("describedPartitions", td.partitions().size());
      List<Integer> leaders = new ArrayList<>();
      td.partitions().forEach(pi -> leaders.add(pi.leader() == null ? -1 : pi.leader().id()));
      out.put("leaders", leaders);

      ConfigResource topicRes = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      ConfigResource brokerRes =
          new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(nodeIds.get(0)));
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(topicRes, brokerRes)).all().get(30, TimeUnit.SECONDS);
      out.put("topicConfigs", summarise(configs.get(topicRes)));
      out.put("brokerConfigCount", configs.get(brokerRes).entries().size());
      ConfigEntry brokerPartitions = configs.get(brokerRes).get("num.partitions");
      out.put("brokerNumPartitions", brokerPartitions == null ? null : brokerPartitions.value());

      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      out.put("deleted", true);
      boolean gone = false;
      for (int i = 0; i < 100 && !gone; i++) {
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        gone = !names.contains(topic);
        if (!gone) Thread.sleep(100);
      }
      out.put("goneAfterDelete", gone);
    }
    Json.emit(out);
  }

  /** name -> {value, source, isDefault} for the configs the test looks at, plus the count. */
  private static Map<String, Object> summarise(Config c) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("count", c.entries().size());
    for (String name :
        List.of("retention.ms", "cleanup.policy", "segment.bytes", "max.message.bytes", "compression.type")) {
      ConfigEntry e = c.get(name);
      if (e == null) {
        r.put(name, null);
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("value", e.value());
      m.put("source", e.source().name());
      m.put("isDefault", e.isDefault());
      r.put(name, m);
    }
    return r;
  }
}
