// Wire schemas of the auth endpoints. Every message is fixed text: valibot's defaults quote the
// received value, and a password must never be echoed in a response.
import * as v from 'valibot';
import { deviceIdSchema } from '../sync/request-schemas.ts';
import { MAX_PASSWORD_LENGTH } from './password-policy.ts';

/** Trimmed and lower-cased, so "Ann@Example.com " and "ann@example.com" are one account. */
export const emailSchema = v.pipe(
  v.string('Email must be text'),
  v.trim(),
  v.toLowerCase(),
  v.minLength(1, 'Enter your email address'),
  v.maxLength(254, 'Email is too long'),
  v.email('Enter a valid email address'),
);

export const passwordSchema = v.pipe(
  v.string('Password must be text'),
  v.minLength(1, 'Enter your password'),
  v.maxLength(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters`),
);

export const credentialsSchema = v.object(
  { email: emailSchema, password: passwordSchema },
  'Send {"email", "password"} as a JSON object',
);
export type Credentials = v.InferOutput<typeof credentialsSchema>;

export const wsTicketBodySchema = v.object(
  { deviceId: v.optional(deviceIdSchema) },
  'Send {"deviceId"?} as a JSON object',
);

export const changePasswordSchema = v.object(
  { currentPassword: passwordSchema, newPassword: passwordSchema },
  'Send {"currentPassword", "newPassword"} as a JSON object',
);

export const deleteAccountSchema = v.object(
  { password: passwordSchema },
  'Send {"password"} as a JSON object',
);
