"""The benchmark kit: a corpus generator, the benchmark run and the load test."""
