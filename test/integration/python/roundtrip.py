"""JSON-valued producer/consumer round trips with kafka-python or confluent-kafka.

Run with Debian's /usr/bin/python3 (python3-kafka, python3-confluent-kafka):

  roundtrip.py --client kafka-python|confluent --mode pair|group \
      --bootstrap HOST:PORT --topic T [--group G] [--count N] [--timeout S]

pair:  produce N JSON values (waiting for every delivery report), then read them back with a
       plain consumer assigned to partition 0 from the earliest offset.
group: produce N keyed JSON values spread over the topic's --partitions partitions, then a
       consumer group member (auto.offset.reset=earliest) subscribes and reads them, commits
       synchronously, closes; a second member of the same group reports the committed offsets,
       summed over the partitions (= N when everything was committed).
Prints one JSON object on stdout with what was produced, read and committed.
"""

import argparse
import json
import sys
import time


def payload(i):
    return {"i": i, "text": "sluice-%d" % i, "nested": {"even": i % 2 == 0}}


def target_partition(args, i):
    """Round-robin over the partitions, so that every partition holds records."""
    return i % args.partitions


def produce_kafka_python(args):
    from kafka import KafkaProducer

    producer = KafkaProducer(
        bootstrap_servers=args.bootstrap,
        value_serializer=lambda v: json.dumps(v).encode("utf-8"),
        key_serializer=lambda k: k.encode("utf-8"),
        acks="all",
    )
    futures = [
        producer.send(args.topic, key="k-%d" % i, value=payload(i), partition=target_partition(args, i))
        for i in range(args.count)
    ]
    producer.flush(timeout=args.timeout)
    offsets = [f.get(timeout=args.timeout).offset for f in futures]
    producer.close(timeout=10)
    return offsets


def produce_confluent(args):
    from confluent_kafka import Producer

    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all"})
    offsets = []
    errors = []

    def report(err, msg):
        if err is not None:
            errors.append(str(err))
        else:
            offsets.append(msg.offset())

    for i in range(args.count):
        producer.produce(
            args.topic,
            key="k-%d" % i,
            value=json.dumps(payload(i)).encode("utf-8"),
            partition=target_partition(args, i),
            on_delivery=report,
        )
        producer.poll(0)
    remaining = producer.flush(args.timeout)
    if errors or remaining:
        raise RuntimeError("delivery failed: %s (%d undelivered)" % (errors[:5], remaining))
    return offsets


def consume_kafka_python(args, group):
    from kafka import KafkaConsumer, TopicPartition

    common = dict(
        bootstrap_servers=args.bootstrap,
        value_deserializer=lambda b: json.loads(b.decode("utf-8")),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
    )
    values = []
    deadline = time.time() + args.timeout
    committed = None
    if group is None:
        consumer = KafkaConsumer(group_id=None, **common)
        tp = TopicPartition(args.topic, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
    else:
        consumer = KafkaConsumer(args.topic, group_id=group, **common)
    while len(values) < args.count and time.time() < deadline:
        batch = consumer.poll(timeout_ms=500)
        for records in batch.values():
            values.extend(r.value for r in records)
    if group is not None:
        consumer.commit()
    consumer.close()
    if group is not None:
        checker = KafkaConsumer(group_id=group, **common)
        committed = sum(
            checker.committed(TopicPartition(args.topic, p)) or 0 for p in range(args.partitions)
        )
        checker.close()
    return values, committed


def consume_confluent(args, group):
    from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

    conf = {
        "bootstrap.servers": args.bootstrap,
        "group.id": group or "unused-assign-only",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    }
    consumer = Consumer(conf)
    if group is None:
        consumer.assign([TopicPartition(args.topic, 0, OFFSET_BEGINNING)])
    else:
        consumer.subscribe([args.topic])
    values = []
    deadline = time.time() + args.timeout
    while len(values) < args.count and time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            sys.stderr.write("consumer error: %s\n" % msg.error())
            continue
        values.append(json.loads(msg.value().decode("utf-8")))
    committed = None
    if group is not None:
        consumer.commit(asynchronous=False)
    consumer.close()
    if group is not None:
        checker = Consumer(conf)
        tps = checker.committed(
            [TopicPartition(args.topic, p) for p in range(args.partitions)], timeout=30
        )
        committed = sum(max(tp.offset, 0) for tp in tps)
        checker.close()
    return values, committed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", choices=["kafka-python", "confluent"], required=True)
    parser.add_argument("--mode", choices=["pair", "group"], required=True)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.mode == "group" and not args.group:
        parser.error("--mode group needs --group")
    if args.mode == "pair" and args.partitions != 1:
        parser.error("--mode pair reads partition 0 only")

    produce = produce_kafka_python if args.client == "kafka-python" else produce_confluent
    consume = consume_kafka_python if args.client == "kafka-python" else consume_confluent
    offsets = produce(args)
    values, committed = consume(args, args.group if args.mode == "group" else None)
    if args.mode == "group":
        # Order is only defined within a partition.
        values.sort(key=lambda v: v["i"] if isinstance(v, dict) else -1)
    print(
        json.dumps(
            {
                "producedOffsets": offsets,
                "expected": [payload(i) for i in range(args.count)],
                "values": values,
                "committed": committed,
            }
        )
    )


if __name__ == "__main__":
    main()
