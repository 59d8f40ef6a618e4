package archive.solr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.cloud.ZkTestServer;
import org.apache.solr.embedded.JettyConfig;

/**
 * A local SolrCloud for the archive: an embedded ZooKeeper and Solr nodes on fixed ports in one
 * JVM, the archive's configset uploaded and its collection created, from Maven artifacts alone.
 *
 * <p>Solr's test framework starts clusters this way for Solr's own tests. The cluster is built
 * with MiniSolrCloudCluster's plain constructor: its Builder asks the randomized-testing runner
 * for a random choice, which fails outside a test run. Each start begins from an empty data
 * folder, so an index lives as long as the cluster does.
 */
public final class Launcher {

  private static final String USAGE =
      "usage: Launcher --configset DIR [--data DIR] [--port 8983] [--zk-port 9983]"
          + " [--nodes 2] [--shards 2] [--collection archive]";

  private static final String MARKER = ".archive-solr";

  public static void main(String[] args) throws Exception {
    Path configset = null;
    Path data = Path.of("var", "solr");
    int port = 8983;
    int zkPort = 9983;
    int nodes = 2;
    int shards = 2;
    String collection = "archive";
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        fail(USAGE);
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--configset" -> configset = Path.of(value);
        case "--data" -> data = Path.of(value);
        case "--port" -> port = Integer.parseInt(value);
        case "--zk-port" -> zkPort = Integer.parseInt(value);
        case "--nodes" -> nodes = Integer.parseInt(value);
        case "--shards" -> shards = Integer.parseInt(value);
        case "--collection" -> collection = value;
        default -> fail(USAGE);
      }
    }
    if (configset == null || !Files.isRegularFile(configset.resolve("solrconfig.xml"))) {
      fail("no solrconfig.xml in the configset folder: " + configset + "\n" + USAGE);
    }
    data = data.toAbsolutePath().normalize();
    long started = System.nanoTime();
    clearDataFolder(data);
    // Solr refuses cores outside its home unless the folder is allowed.
    System.setProperty("solr.allowPaths", data.toString());
    System.setProperty("archive.solr.log", data.resolve("solr.log").toString());
    System.setProperty("solr.log.dir", data.toString());

    ZkTestServer zk = new ZkTestServer(data.resolve("zookeeper"), zkPort);
    zk.run(true);
    // No nodes from the constructor: each node is started below on its own fixed port.
    MiniSolrCloudCluster cluster =
        new MiniSolrCloudCluster(
            0,
            data,
            MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML,
            JettyConfig.builder().build(),
            zk,
            false);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping SolrCloud...");
                  try {
                    cluster.shutdown();
                    zk.shutdown();
                  } catch (Exception e) {
                    System.err.println("Error while stopping: " + e);
                  }
                  stopped.countDown();
                },
                "archive-solr-shutdown"));

    for (int node = 0; node < nodes; node++) {
      cluster.startJettySolrRunner(
          "node" + (node + 1), "/solr", JettyConfig.builder().setPort(port + node).build());
    }
    cluster.waitForAllNodes(60);
    cluster.uploadConfigSet(configset.toAbsolutePath(), collection);
    // The index lives in a collection of its own behind the alias readers use, so that
    // `sync_index --rebuild` can build a new collection and move the alias to it.
    String first = collection + "_1";
    CollectionAdminRequest.createCollection(first, collection, shards, 1)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(first, 60, TimeUnit.SECONDS, shards, shards);
    CollectionAdminRequest.createAlias(collection, first).process(cluster.getSolrClient());

    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "SolrCloud up in %.1f s: %d nodes on ports %d-%d, ZooKeeper on %s, alias %s for"
            + " collection %s with %d shards; data in %s%n",
        seconds, nodes, port, port + nodes - 1, zk.getZkAddress(), collection, first, shards, data);
    System.out.println("SEARCH_URL=solr://127.0.0.1:" + port + "/solr/" + collection);
    System.out.flush();
    stopped.await();
  }

  /** Empties the data folder of an earlier run; refuses a folder this launcher did not make. */
  private static void clearDataFolder(Path data) throws Exception {
    Path marker = data.resolve(MARKER);
    if (Files.isDirectory(data)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(data)) {
        empty = entries.findAny().isEmpty();
      }
      if (!empty && !Files.exists(marker)) {
        fail("not a folder this launcher made (no " + MARKER + "), left alone: " + data);
      }
      try (Stream<Path> paths = Files.walk(data)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          if (!path.equals(data)) {
            Files.delete(path);
          }
        }
      }
    }
    Files.createDirectories(data);
    Files.writeString(marker, "A local SolrCloud's data, emptied at each start.\n");
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
