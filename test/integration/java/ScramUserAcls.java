import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AdminClient as a super user (connection options: ClientSecurity): gives --user a SCRAM
 * credential (--mechanism, --iterations, --user-password) with alterUserScramCredentials, and
 * ALLOW ACLs for User:--user from --acls ("TYPE:PATTERN:NAME:OP,OP;..." e.g.
 * "TOPIC:PREFIXED:app-:READ,WRITE;GROUP:PREFIXED:app-:READ"). Then waits (bounded) until the
 * broker describes both, since Kafka applies them asynchronously from its metadata log, and
 * reports what it describes.
 */
public final class ScramUserAcls {
  public static void main(String[] argv) throws Exception {
    Args a = new Args(argv);
    String user = a.get("user");
    ScramMechanism mechanism = ScramMechanism.fromMechanismName(a.get("mechanism", "SCRAM-SHA-512"));
    int iterations = a.getInt("iterations", 8192);
    long deadline = System.currentTimeMillis() + a.getLong("timeout-ms", 30_000);

    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, a.get("bootstrap"));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    ClientSecurity.apply(a, p);

    String principal = "User:" + user;
    List<AclBinding> acls = new ArrayList<>();
    for (String spec : a.get("acls", "").split(";")) {
      if (spec.isEmpty()) continue;
      String[] f = spec.split(":", 4);
      ResourcePattern pattern =
          new ResourcePattern(ResourceType.fromString(f[0]), f[2], PatternType.fromString(f[1]));
      for (String op : f[3].split(",")) {
        acls.add(
            new AclBinding(
                pattern,
                new AccessControlEntry(
                    principal, "*", AclOperation.fromString(op), AclPermissionType.ALLOW)));
      }
    }

    Map<String, Object> out = new LinkedHashMap<>();
    try (Admin admin = Admin.create(p)) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(mechanism, iterations), a.get("user-password"))))
          .all()
          .get(30, TimeUnit.SECONDS);
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);

      List<String> credentials = List.of();
      TreeSet<String> described = new TreeSet<>();
      AclBindingFilter filter =
          new AclBindingFilter(
              ResourcePatternFilter.ANY,
              new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
      while (System.currentTimeMillis() < deadline) {
        credentials = describeCredentials(admin, user);
        described.clear();
        for (AclBinding b : admin.describeAcls(filter).values().get(30, TimeUnit.SECONDS)) {
          described.add(describe(b));
        }
        if (!credentials.isEmpty() && described.size() >= acls.size()) break;
        Thread.sleep(200);
      }
      out.put("credentials", credentials);
      out.put("acls", new ArrayList<>(described));
    }
    Json.emit(out);
  }

  /** "MECHANISM/iterations" per credential of the user; empty while the broker does not know it. */
  private static List<String> describeCredentials(Admin admin, String user) throws Exception {
    List<String> r = new ArrayList<>();
    try {
      Map<String, UserScramCredentialsDescription> d =
          admin.describeUserScramCredentials(List.of(user)).all().get(30, TimeUnit.SECONDS);
      Collection<ScramCredentialInfo> infos = d.get(user).credentialInfos();
      for (ScramCredentialInfo i : infos) r.add(i.mechanism().mechanismName() + "/" + i.iterations());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof ResourceNotFoundException)) throw e;
    }
    return r;
  }

  private static String describe(AclBinding b) {
    ResourcePattern r = b.pattern();
    AccessControlEntry e = b.entry();
    return String.join(
        ":",
        r.resourceType().name(),
        r.patternType().name(),
        r.name(),
        e.operation().name(),
        e.permissionType().name());
  }
}
