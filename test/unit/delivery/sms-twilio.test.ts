import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError, createTwilioSender, renderMessage } from '../../../src/delivery/index.js';
import { startTwilioStandin, type TwilioStandin } from '../../helpers/twilio-standin.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const FROM = '+15005550006';

let twilio: TwilioStandin;
beforeEach(async () => {
  twilio = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
});
afterEach(async () => {
  await twilio.close();
});

const sender = (over: Partial<Parameters<typeof createTwilioSender>[0]> = {}) =>
  createTwilioSender({ accountSid: SID, authToken: TOKEN, from: FROM, apiBase: twilio.apiBase, ...over });

async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

describe('Twilio sender', () => {
  it('posts To, From and Body as a form with Basic auth to the Messages resource', async () => {
    const { sms } = renderMessage('otp_code', { code: '123456', host: 'auth.example.test' });
    await sender().send('+14155550123', sms);

    expect(twilio.requests).toHaveLength(1);
    const req = twilio.requests[0];
    expect(req).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${SID}/Messages.json`, authUser: SID, status: 201 });
    expect(req.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(twilio.accepted[0]).toMatchObject({ to: '+14155550123', from: FROM });
    expect(twilio.accepted[0].body).toBe('Your Twofold code is 123456. It expires in 10 minutes.\n\n@auth.example.test #123456');
  });

  it('a wrong auth token is an error with Twilio code and message, never the token', async () => {
    const e = await failure(sender({ authToken: 'tok_wrong_0000' }).send('+14155550123', 'hi'));
    expect(e.message).toContain('HTTP 401');
    expect(e.message).toContain('20003');
    expect(e.message).toContain('Authenticate');
    expect(e.message).not.toContain('tok_wrong_0000');
    expect(e.message).not.toContain(TOKEN);
    expect(e.status).toBe(401);
    expect(e.code).toBe('20003');
    expect(e.permanent).toBe(false);
  });

  it('an invalid number is a permanent error carrying code 21211', async () => {
    const e = await failure(sender().send('0123', 'hi'));
    expect(e.message).toContain('21211');
    expect(e.message).toContain("The 'To' number 0123 is not a valid phone number.");
    expect(e.permanent).toBe(true);
  });

  it('a 503 from Twilio is a retryable error, and the next request goes through', async () => {
    twilio.failNext(1, 503);
    const e = await failure(sender().send('+14155550123', 'hi'));
    expect(e.status).toBe(503);
    expect(e.permanent).toBe(false);
    await sender().send('+14155550123', 'again');
    expect(twilio.accepted.map((m) => m.body)).toEqual(['again']);
  });

  it('an unreachable API is a retryable error', async () => {
    await twilio.close();
    const e = await failure(sender().send('+14155550123', 'hi'));
    expect(e.message).toMatch(/^Twilio request failed: /);
    expect(e.permanent).toBe(false);
    twilio = await startTwilioStandin({ accountSid: SID, authToken: TOKEN });
  });

  it('gives up after the timeout', async () => {
    const hang: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const e = await failure(sender({ fetchImpl: hang, timeoutMs: 50 }).send('+14155550123', 'hi'));
    expect(e.message).toContain('no answer within 0.05 s');
  });

  it('uses MessagingServiceSid when the sender is a Messaging Service', async () => {
    const service = 'MG0123456789abcdef0123456789abcdef';
    await sender({ from: service }).send('+14155550123', 'hi');
    expect(twilio.requests[0].form).toMatchObject({ MessagingServiceSid: service, To: '+14155550123', Body: 'hi' });
    expect(twilio.requests[0].form.From).toBeUndefined();
  });
});
