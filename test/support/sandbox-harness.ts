/** The sandbox harness lives with the other harnesses, shared by the tests and the benchmarks. */
export * from '../../harness/sandbox-harness.js';
