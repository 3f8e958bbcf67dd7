/**
 * Queue a message in the persisted outbox. Call it with the transaction's own outbox
 * (`tx.outbox`) so the message is stored if and only if the change it reports is: the
 * transactional-outbox pattern, which neither loses a notification nor sends one for a
 * change that was rolled back.
 */
import type { OutboxRepo, Random } from '../core/ports.js';
import type { OutboxMessage } from '../core/types.js';
import { renderMessage } from './templates/index.js';

export interface NotificationInput {
  channel: 'email' | 'sms';
  /** An email address, or an E.164 phone number for SMS. */
  to: string;
  template: string;
  /** Template data (see the templates); `locale` picks the language. */
  data: Record<string, unknown>;
}

export async function enqueueNotification(outbox: OutboxRepo, random: Random, now: number, msg: NotificationInput): Promise<OutboxMessage> {
  // Render once now, so an unknown template or bad data fails at the call site, in the
  // request that has a stack trace, not hours later in the worker.
  renderMessage(msg.template, msg.data, typeof msg.data.locale === 'string' ? msg.data.locale : undefined);
  const message: OutboxMessage = {
    id: random.uuid(),
    channel: msg.channel,
    to: msg.to,
    template: msg.template,
    data: msg.data,
    createdAt: now,
    attempts: 0,
    nextAttemptAt: now,
    sentAt: null,
    failedAt: null,
    lastError: null,
  };
  await outbox.enqueue(message);
  return message;
}
