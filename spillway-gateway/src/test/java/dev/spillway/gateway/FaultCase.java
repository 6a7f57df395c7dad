package dev.spillway.gateway;

import dev.spillway.simulator.faults.UpstreamFault;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell of the fault matrix: a fault, a plain or a streamed request, and a pool where a healthy backend follows the
 * faulty one ({@code pooled}) or the faulty backend alone. Its model name is the case's name, so each case has its own
 * pool.
 */
record FaultCase(UpstreamFault fault, boolean stream, boolean pooled) {
  static List<FaultCase> all() {
    List<FaultCase> cases = new ArrayList<>();
    for (UpstreamFault fault : UpstreamFault.values()) {
      for (boolean stream : new boolean[] {false, true}) {
        for (boolean pooled : new boolean[] {true, false}) {
          cases.add(new FaultCase(fault, stream, pooled));
        }
      }
    }
    return cases;
  }

  String model() {
    return fault.id() + "-" + (stream ? "stream" : "plain") + "-" + (pooled ? "pool" : "alone");
  }

  static FaultCase of(String model) {
    return all().stream().filter(c -> c.model().equals(model)).findFirst().orElseThrow();
  }

  @Override
  public String toString() {
    return model();
  }
}
