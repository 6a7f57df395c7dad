package dev.spillway.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads another local JVM's heap after a full collection, through the attach API and the JVM's local management
 * agent (no flags on the observed process, no port opened: the agent listens on a local-only connector).
 *
 * <p>Why a forced collection: under G1 the heap right after an ordinary young collection still holds the old
 * generation's garbage until the next concurrent cycle, so it saws up and down over minutes whether or not anything
 * leaks, and two five-minute spans compare whatever phase of that cycle they fall on. The heap after a full
 * collection is the live set, which is what grows when something leaks. The price is a stop-the-world pause in the
 * observed process (hundreds of milliseconds for a gateway starved of CPU), so a caller requests one only now and
 * then and reads the cheap figure otherwise; {@link Reading#forcedGcMillis} reports how long each took.
 */
final class JvmHeapProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final List<GarbageCollectorMXBean> collectors;
  private final List<MemoryPoolMXBean> heapPools;
  private final com.sun.management.ThreadMXBean threads;

  private JvmHeapProbe(JMXConnector connector, MemoryMXBean memory, List<GarbageCollectorMXBean> collectors,
      List<MemoryPoolMXBean> heapPools, com.sun.management.ThreadMXBean threads) {
    this.connector = connector;
    this.memory = memory;
    this.collectors = collectors;
    this.heapPools = heapPools;
    this.threads = threads;
  }

  /**
   * Attaches to the JVM {@code pid} (same user) and connects to its local management agent, starting it if needed.
   *
   * @throws IOException when the JVM cannot be attached to (gone, another user, attach disabled)
   */
  static JvmHeapProbe attach(long pid) throws IOException {
    String address;
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (com.sun.tools.attach.AttachNotSupportedException e) {
      throw new IOException("cannot attach to JVM " + pid + ": " + e.getMessage(), e);
    }
    JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
    MBeanServerConnection server = connector.getMBeanServerConnection();
    MemoryMXBean memory =
        ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class).stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported())
        .toList();
    com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(server,
        ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);
    List<GarbageCollectorMXBean> collectors = ManagementFactory.getPlatformMXBeans(server, GarbageCollectorMXBean.class);
    return new JvmHeapProbe(connector, memory, collectors, heapPools, threads);
  }

  /**
   * One reading.
   *
   * @param heapAfterGcBytes heap in use right after the last collection: the heap pools' usage as that collection
   *     left it (the JVM's own "collection usage"), so allocations since do not count
   * @param liveHeapBytes the same right after a full collection this reading requested; -1 when it requested none
   * @param heapCommittedBytes heap the JVM holds from the OS
   * @param forcedGcMillis how long the requested collection took, seen from here (the call's round trip); -1 if none
   * @param collections collections of every kind so far, the requested ones included
   */
  record Reading(long heapAfterGcBytes, long liveHeapBytes, long heapCommittedBytes, double forcedGcMillis,
      long collections) {
    static final Reading UNKNOWN = new Reading(-1, -1, -1, -1, -1);
  }

  /**
   * Reads the heap as the last collection left it; first runs a full collection in the observed JVM ({@code
   * System.gc()}, stopping it for as long as that takes) when {@code forceFullGc}.
   */
  Reading read(boolean forceFullGc) {
    double gcMillis = -1;
    if (forceFullGc) {
      long start = System.nanoTime();
      memory.gc();
      gcMillis = (System.nanoTime() - start) / 1e6;
    }
    long afterGc = heapPools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
    long committed = memory.getHeapMemoryUsage().getCommitted();
    long collections = collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    return new Reading(afterGc, forceFullGc ? afterGc : -1, committed, gcMillis, collections);
  }

  /**
   * The heap in use right now, garbage included (no collection requested), and the collections so far: what a caller
   * samples often while something passes through the observed JVM. Heap used is an upper bound on what it holds; the
   * collections tell whether one ran between two samples.
   */
  Usage usage() {
    return new Usage(memory.getHeapMemoryUsage().getUsed(),
        collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum());
  }

  /**
   * Bytes the observed JVM has allocated on its heap since it started, by all its threads (those ended included): the
   * difference over an interval is what it allocated in it, kept or not. -1 when the JVM does not measure it.
   */
  long allocatedBytes() {
    try {
      return threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()
          ? threads.getTotalThreadAllocatedBytes()
          : -1;
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  /** One {@link #usage()}: heap used now (bytes) and collections of every kind so far. */
  record Usage(long usedBytes, long collections) {}

  /** The observed JVM's collectors, by name (G1 Young Generation, ...), for a report's setup line. */
  List<String> collectorNames() {
    return collectors.stream().map(GarbageCollectorMXBean::getName).toList();
  }

  @Override
  public void close() {
    try {
      connector.close();
    } catch (IOException e) {
      // the observed JVM is gone: nothing left to close
    }
  }
}
