"""The project's real KRaft broker (testkit's Kafka jars and properties) as a child JVM for pytest.

Same settings as ``testkit/src/main/java/io/tagpipe/testkit/KafkaBroker.java``; the classpath comes
from Maven (``dependency:build-classpath`` of ``testkit``), so no jar is downloaded by hand.
"""
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

from confluent_kafka.admin import AdminClient, NewTopic


def tools_missing():
    return [t for t in ("java", "mvn") if shutil.which(t) is None]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def testkit_classpath(repo_root, work_dir):
    out = os.path.join(work_dir, "classpath.txt")
    cmd = ["mvn", "-q", "-B", "-f", os.path.join(repo_root, "testkit", "pom.xml"), "dependency:build-classpath",
           "-Dmdep.outputFile=" + out]
    done = subprocess.run(cmd, cwd=repo_root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    if done.returncode != 0:
        raise RuntimeError("cannot build the broker classpath (%s):\n%s" % (" ".join(cmd), done.stdout.decode()[-3000:]))
    with open(out) as f:
        return f.read().strip()


def server_properties(log_dir, port, controller_port):
    return {
        "process.roles": "broker,controller", "node.id": "1",
        "controller.quorum.bootstrap.servers": "127.0.0.1:%d" % controller_port,
        "listeners": "PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d" % (port, controller_port),
        "advertised.listeners": "PLAINTEXT://127.0.0.1:%d" % port,
        "controller.listener.names": "CONTROLLER",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name": "PLAINTEXT", "log.dirs": log_dir, "num.partitions": "1",
        "offsets.topic.replication.factor": "1", "offsets.topic.num.partitions": "4",
        "transaction.state.log.replication.factor": "1", "transaction.state.log.min.isr": "1",
        "transaction.state.log.num.partitions": "4",
        "share.coordinator.state.topic.replication.factor": "1", "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0", "auto.create.topics.enable": "false",
    }


class KafkaBroker:
    """``start()`` formats a temp log dir and runs ``kafka.Kafka`` in a child JVM; ``stop()`` kills it."""

    def __init__(self, repo_root, work_dir):
        self.repo_root, self.work_dir = repo_root, work_dir
        self.port, self.controller_port = free_port(), free_port()
        self.process = None
        self.bootstrap = "127.0.0.1:%d" % self.port

    def start(self, timeout=120):
        cp = testkit_classpath(self.repo_root, self.work_dir)
        props = os.path.join(self.work_dir, "server.properties")
        with open(props, "w") as f:
            for k, v in server_properties(os.path.join(self.work_dir, "kafka-logs"), self.port,
                                          self.controller_port).items():
                f.write("%s=%s\n" % (k, v))
        java = ["java", "-Xmx512m", "-Dlog4j2.level=WARN", "-cp", cp]
        fmt = subprocess.run(java + ["kafka.tools.StorageTool", "format", "--cluster-id=" + _cluster_id(), "-c", props,
                                     "--standalone"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=180)
        if fmt.returncode != 0:
            raise RuntimeError("kafka storage format failed:\n" + fmt.stdout.decode()[-3000:])
        self._log = open(os.path.join(self.work_dir, "broker.log"), "wb")
        self.process = subprocess.Popen(java + ["kafka.Kafka", props], stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self._await_ready(timeout)
        return self

    def _await_ready(self, timeout):
        admin = AdminClient({"bootstrap.servers": self.bootstrap, "log_level": 0})  # refused connects are expected
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("broker exited with %s; see %s" % (self.process.returncode, self._log.name))
            try:
                if admin.list_topics(timeout=2).brokers:
                    return
            except Exception:
                pass  # not listening yet
            time.sleep(0.2)
        raise RuntimeError("broker not ready after %s s; see %s" % (timeout, self._log.name))

    def create_topic(self, name, partitions=1, timeout=60):
        """Creates the topic and waits until each partition has a leader (KAFKA-15591)."""
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        admin.create_topics([NewTopic(name, partitions, 1)])[name].result(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            topic = admin.list_topics(name, timeout=5).topics.get(name)
            if topic and topic.error is None and len(topic.partitions) == partitions \
                    and all(p.leader >= 0 for p in topic.partitions.values()):
                return
            time.sleep(0.1)
        raise RuntimeError("partitions of %s have no leader after %s s" % (name, timeout))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # the whole child session: nothing outlives the test
            self.process.wait(30)
        if getattr(self, "_log", None):
            self._log.close()


def _cluster_id():
    # Kafka's Uuid string form: 16 random bytes, URL-safe base64 without padding. Like Kafka's own
    # Uuid.randomUuid(), never start with '-': the storage tool's argument parser would take it for an
    # option (1 run in 64 failed that way before).
    import base64
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid
