/**
 * Apache Kafka on the local Docker engine: three KRaft brokers with SCRAM tenants. Environment:
 * SLUICE_KAFKA_REPOSITORY, SLUICE_KAFKA_VERSION, SLUICE_BASE_IMAGE, SLUICE_HOST_PORT,
 * SLUICE_LOCK_FILE, SLUICE_KAFKA_EXTRA_TENANT, DOCKER_HOST (see kafka-cluster-stack.ts).
 *
 *   npx cdktf deploy --app "npx tsx apps/kafka-cluster/main.ts"
 */
import { App } from "cdktf";
import { KafkaClusterStack, kafkaClusterStackPropsFromEnv } from "./kafka-cluster-stack";

const app = new App();
new KafkaClusterStack(app, "sluice-kafka", kafkaClusterStackPropsFromEnv(process.env));
app.synth();
