/**
 * Delivery: email and SMS senders (implementations of the core's Mailer and SmsSender ports),
 * the message templates, and the outbox worker that sends queued messages.
 */
export { createSmtpMailer } from './mail-smtp.js';
export type { SmtpMailerOptions } from './mail-smtp.js';
export { createConsoleMailer } from './mail-console.js';
export { createTwilioSender } from './sms-twilio.js';
export type { TwilioOptions } from './sms-twilio.js';
export { createWebhookSender, verifyWebhookSignature, signWebhook, SIGNATURE_HEADER } from './sms-webhook.js';
export type { WebhookOptions } from './sms-webhook.js';
export { createConsoleSmsSender } from './sms-console.js';
export { createMailerFromConfig, createSmsFromConfig } from './from-config.js';
export type { MailConfig, SmsConfig, SmsProvider } from './from-config.js';
export { DeliveryError, isPermanent } from './delivery-error.js';
export { createOutboxWorker, backoffMs } from './outbox-worker.js';
export type { OutboxWorker, OutboxWorkerOptions, OutboxResult } from './outbox-worker.js';
export { enqueueNotification } from './enqueue.js';
export type { NotificationInput } from './enqueue.js';
export { renderMessage, isTemplateName, TEMPLATE_NAMES, LOCALES, DEFAULT_LOCALE, escapeHtml } from './templates/index.js';
export type { TemplateName, Locale, Rendered } from './templates/index.js';
