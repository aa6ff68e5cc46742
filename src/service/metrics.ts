// /metrics (Prometheus text format, prom-client): requests by route, method and status, their latency, counted
// verifications by outcome, and the process's own metrics. One registry per server, so that several servers in
// one process (tests) do not share counters. Labels carry route templates, never ids, PANs or other values.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'method' | 'status'>;
  latency: Histogram<'route' | 'method'>;
  verifications: Counter<'kind' | 'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cardhsm_' });
  return {
    registry,
    requests: new Counter({
      name: 'cardhsm_http_requests_total',
      help: 'HTTP requests by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'cardhsm_http_request_duration_seconds',
      help: 'HTTP request latency by route template and method',
      labelNames: ['route', 'method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    verifications: new Counter({
      name: 'cardhsm_verifications_total',
      help: 'counted verifications (pin, cvv2) by outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
  };
}
