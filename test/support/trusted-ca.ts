/** The sandbox CA the test processes trust lives with the harnesses (the benchmarks use it too). */
export * from '../../harness/trusted-ca.js';
