import { loadConfig } from './load-config.js';

describe('Redis settings', () => {
  it('default to one node at REDIS_URL, no cluster', () => {
    const config = loadConfig({});
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.REDIS_CLUSTER_NODES).toBeUndefined();
    expect(loadConfig({ REDIS_CLUSTER_NODES: '' }).REDIS_CLUSTER_NODES).toBeUndefined();
  });

  it('accept cluster seed nodes with credentials and TLS', () => {
    expect(
      loadConfig({ REDIS_CLUSTER_NODES: 'redis-0.redis:6379,10.0.0.2:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: 'true' }),
    ).toMatchObject({ REDIS_CLUSTER_NODES: 'redis-0.redis:6379,10.0.0.2:7001', REDIS_PASSWORD: 'pw', REDIS_TLS: true });
  });

  it.each([
    ['redis://10.0.0.1:6379', /REDIS_CLUSTER_NODES must be host:port pairs/],
    ['10.0.0.1', /REDIS_CLUSTER_NODES must be host:port pairs/],
    ['10.0.0.1:6379,', /REDIS_CLUSTER_NODES must be host:port pairs/],
    ['10.0.0.1:6379,10.0.0.2:70000', /REDIS_CLUSTER_NODES: port out of range in 10.0.0.2:70000/],
  ])('refuse REDIS_CLUSTER_NODES=%s with a message naming it', (value, message) => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: value })).toThrow(message);
  });

  it('refuse the cluster-only settings without a cluster, never printing the password', () => {
    expect(() => loadConfig({ REDIS_TLS: 'true' })).toThrow(/REDIS_TLS: applies only with REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ REDIS_PASSWORD: 'hunter2-secret' })).toThrow(/REDIS_PASSWORD: applies only/);
    expect(() => loadConfig({ REDIS_TLS: 'maybe', REDIS_CLUSTER_NODES: 'a:1' })).toThrow(/REDIS_TLS: /);
    expect(() => loadConfig({ REDIS_PASSWORD: 'hunter2-secret' })).not.toThrow(/hunter2-secret/);
  });
});
