import { Injectable } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { isIP } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { portProblem, refusedAddress } from './address-policy.js';
import { boundedLookup, type ResolverSettings } from './host-resolver.js';

/** The most of a receiver's answer kept (docs/ARCHITECTURE.md, "Status-change webhooks"). */
export const RESPONSE_EXCERPT_BYTES = 256;

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  production: boolean;
  /** WEBHOOK_ALLOWED_PORTS, checked again here: the URL may predate a change of the setting. */
  allowedPorts: readonly number[];
  dns: ResolverSettings;
}

/** The filter's and our lookup's refusals: the message names the resolved address, never shown. */
const REFUSED = /is not allowed/;

export interface SendResult {
  /** Any 2xx. Redirects are not followed: a 3xx is a failure. */
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The connection went to a refused address (checked on the resolved address). */
  refused: boolean;
  durationMs: number;
  excerpt: string | null;
}

/**
 * POSTs one signed webhook. Delivered with node:http/https and `request-filtering-agent`, whose agents check the
 * address each connection actually resolves to (DNS rebinding cannot slip past a check made at registration);
 * fetch (undici) takes no http.Agent. Names are resolved by `boundedLookup` (c-ares, WEBHOOK_DNS_TIMEOUT_MS),
 * which refuses what `refusedAddress` refuses too (the filter lets IPv4-compatible `::/96` through). One deadline
 * covers resolving, connecting and the status line: a 2xx status line within it is a success, whatever the body
 * does afterwards (it is not read). Of any other answer, the excerpt is read until the same deadline.
 */
@Injectable()
export class WebhookSender {
  private agents?: { http: http.Agent; https: https.Agent; allowPrivate: boolean };

  send(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
    const target = new URL(url);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const early = this.refusal(target, options);
    if (early) {
      return Promise.resolve({
        ok: false,
        statusCode: null,
        error: early,
        refused: true,
        durationMs: 0,
        excerpt: null,
      });
    }
    const agents = this.agentsFor(options.allowPrivate);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.destroy();
        resolve({ ...result, durationMs: elapsed() });
      };
      const fail = (error: string, refused = false) =>
        finish({ ok: false, statusCode: null, error, refused, excerpt: null });
      let onDeadline = () => fail(`no answer within ${options.timeoutMs} ms`);
      const client = target.protocol === 'https:' ? https : http;
      const request = client.request(target, {
        method: 'POST',
        agent: target.protocol === 'https:' ? agents.https : agents.http,
        lookup: boundedLookup(options.dns, (address) => (options.allowPrivate ? undefined : refusedAddress(address))),
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const timer = setTimeout(() => onDeadline(), options.timeoutMs);
      request.on('error', (error) => {
        const refused = REFUSED.test(error.message);
        fail(refused ? 'the url host resolved to an address that is not public' : error.message, refused);
      });
      request.on('response', (response) => {
        const statusCode = response.statusCode ?? 0;
        const answered = { statusCode, refused: false };
        if (statusCode >= 200 && statusCode < 300) {
          finish({ ...answered, ok: true, error: null, excerpt: null });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            ...answered,
            ok: false,
            error: `answered ${statusCode}`,
            excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8') || null,
          });
        onDeadline = done;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_EXCERPT_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      });
      request.end(body);
    });
  }

  /** Why the URL is refused before any connection: its port, or a literal address the filter would let by. */
  private refusal(target: URL, options: SendOptions): string | undefined {
    const port = portProblem(target, options);
    if (port) return port;
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) && refusedAddress(host)) return 'the url host is not a public address';
    return undefined;
  }

  private agentsFor(allowPrivate: boolean): { http: http.Agent; https: https.Agent } {
    if (this.agents?.allowPrivate !== allowPrivate) {
      const filter = { allowPrivateIPAddress: allowPrivate, allowMetaIPAddress: allowPrivate, keepAlive: false };
      this.agents = {
        http: new RequestFilteringHttpAgent(filter),
        https: new RequestFilteringHttpsAgent(filter),
        allowPrivate,
      };
    }
    return this.agents;
  }
}
