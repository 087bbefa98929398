import { Injectable } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/** The most of a receiver's answer kept (docs/ARCHITECTURE.md, "Status-change webhooks"). */
export const RESPONSE_EXCERPT_BYTES = 256;

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

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
 * fetch (undici) takes no http.Agent. One deadline covers connect, headers and the excerpt read.
 */
@Injectable()
export class WebhookSender {
  private agents?: { http: http.Agent; https: https.Agent; allowPrivate: boolean };

  send(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
    const target = new URL(url);
    const agents = this.agentsFor(options.allowPrivate);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
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
      const client = target.protocol === 'https:' ? https : http;
      const request = client.request(target, {
        method: 'POST',
        agent: target.protocol === 'https:' ? agents.https : agents.http,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      const timer = setTimeout(() => fail(`no answer within ${options.timeoutMs} ms`), options.timeoutMs);
      request.on('error', (error) => {
        // The filter's own message names the resolved address: never shown to the endpoint's owner (internal DNS).
        const refused = /is not allowed/.test(error.message);
        fail(refused ? 'the url host resolved to an address that is not public' : error.message, refused);
      });
      request.on('response', (response) => {
        const statusCode = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            ok: statusCode >= 200 && statusCode < 300,
            statusCode,
            error: statusCode >= 200 && statusCode < 300 ? null : `answered ${statusCode}`,
            refused: false,
            excerpt: Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8') || null,
          });
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
