/** `npm run bench`: the side-by-side benchmark of the Sluice broker and Apache Kafka. */
import "./broker/main";
