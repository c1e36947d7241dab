import { describe, expect, it } from '@jest/globals';
import type { RouteHandler } from '@murmur/ports';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeLambda, toHttpRequest } from '../src/index.js';

const event = (over: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    path: '/twitter',
    headers: {},
    queryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1' },
    ...over,
  }) as APIGatewayProxyEvent;

describe('the route Lambda adapter', () => {
  it('keeps the raw bytes of a base64 body and lower-cases header names', () => {
    const raw = Buffer.from('{"for_user_id":"1","text":"héllo"}');
    const request = toHttpRequest(
      event({
        body: raw.toString('base64'),
        isBase64Encoded: true,
        headers: { 'X-Twitter-Webhooks-Signature': 'sha256=x' },
      }),
    );
    expect(request.rawBody.equals(raw)).toBe(true);
    expect(request.headers).toEqual({ 'x-twitter-webhooks-signature': 'sha256=x' });
  });

  it('runs the declared handler with the request id, and 404s an undeclared route', async () => {
    const seen: string[] = [];
    const crc: RouteHandler = async (req, ctx) => {
      seen.push(`${ctx.requestId}:${req.query.crc_token}`);
      return { status: 200, body: { response_token: 'sha256=abc' } };
    };
    const handler = routeLambda({ crc }, [{ method: 'GET', path: '/twitter', handler: 'crc' }], {} as never);
    const ok = await handler(event({ httpMethod: 'GET', queryStringParameters: { crc_token: 'token123' } }));
    expect(ok).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"response_token":"sha256=abc"}',
    });
    expect(seen).toEqual(['req-1:token123']);
    expect((await handler(event({ path: '/other' }))).statusCode).toBe(404);
  });
});
