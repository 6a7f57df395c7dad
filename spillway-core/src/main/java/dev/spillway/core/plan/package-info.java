/**
 * PTU capacity planning: the ledger's recorded traffic of a model replayed through the real router against simulated
 * PTU and PAYG deployments for candidate PTU counts ({@link dev.spillway.core.plan.CapacityReplay}), each candidate
 * priced a month, and the cheapest one that meets a spill and wait target recommended. Pure: no I/O, no threads of its
 * own beyond running candidates side by side; time is a manual ticker.
 */
package dev.spillway.core.plan;
