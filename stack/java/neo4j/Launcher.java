// The local Neo4j: an embedded community DBMS with its Bolt connector on 127.0.0.1, run by
// stack/neo4j.py as a single-file source program (Java 17+):
//
//   java -Xmx512m -cp <stack.jars.classpath("neo4j")> stack/java/neo4j/Launcher.java <home> <bolt_port>
//
// <home> holds the store (data/), Neo4j's own logs (logs/) and the password file `password`
// (written by stack/neo4j.py, mode 600): auth stays on and user `neo4j` gets that password
// on the first start (see stack/neo4j.py for why). Prints "NEO4J READY bolt://..." once the
// default database is available; SIGTERM shuts the DBMS down cleanly (checkpoint, then exit).

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public class Launcher {
    private static final long MIB = 1024L * 1024L;
    // BoltConnectorInternalSettings below are Neo4j internals, tested on this version only (the
    // pom pins it): another version is refused loudly rather than configured by guesswork.
    private static final String TESTED_VERSION = "5.26.30";

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Launcher.java <home> <bolt_port>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = Files.readString(home.resolve("password")).strip();

        String version = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        if (!TESTED_VERSION.equals(version)) {
            System.err.printf("NEO4J FAILED: Launcher.java was tested on Neo4j %s, found %s%n",
                    TESTED_VERSION, version);
            System.exit(1);
        }
        long began = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // small: a laptop-sized store; the heap is capped by -Xmx from stack/neo4j.py
                .setConfig(GraphDatabaseSettings.pagecache_memory, 128 * MIB)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 32 * MIB)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                // no phoning home: the stack never uses the network beyond loopback
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(BoltConnector.server_bolt_telemetry_enabled, false)
                // the Bolt server otherwise idles 2 x 5 s on shutdown, after the stores are safe
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("NEO4J STOPPING");
            dbms.shutdown();
            System.out.println("NEO4J STOPPED");
            stopped.countDown();
        }, "neo4j-shutdown"));

        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        setInitialPassword(system, password);
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(2))) {
            System.err.println("NEO4J FAILED: the default database is not available");
            System.exit(1);
        }
        long ms = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("NEO4J READY bolt://127.0.0.1:%d (database %s, %d ms)%n",
                port, db.databaseName(), ms);
        stopped.await(); // until SIGTERM runs the hook
    }

    // A new DBMS has user neo4j with password "neo4j", change required: set ours, once.
    private static void setInitialPassword(GraphDatabaseService system, String password) {
        boolean fresh = system.executeTransactionally(
                "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                        + "RETURN passwordChangeRequired",
                Map.of(), r -> r.hasNext() && Boolean.TRUE.equals(r.next().get("passwordChangeRequired")));
        if (fresh) {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
    }
}
