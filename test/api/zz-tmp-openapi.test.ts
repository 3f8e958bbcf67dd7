import { it, expect } from 'vitest';
import { startTestApp } from '/work/main/test/helpers/app.js';
import { call } from '/work/main/test/helpers/http.js';
it('openapi', async () => {
  const t = await startTestApp();
  const res = await call(t.app, 'GET', '/openapi.json');
  expect(res.status).toBe(200);
  for (const p of ['/api/v1/mfa/sms/setup','/api/v1/mfa/email/setup','/api/v1/auth/mfa/challenge','/api/v1/mfa/step-up/challenge']) console.log(p, JSON.stringify(res.body.paths[p]?.post?.requestBody?.content?.['application/json']?.schema).slice(0,400), Object.keys(res.body.paths[p]?.post?.responses ?? {}));
  await t.close();
});
