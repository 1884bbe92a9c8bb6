import type { Locale, StaffRole } from '@okpay/contracts';
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const customers = pgTable(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    phone: text('phone'),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').$type<Locale>().notNull().default('zh-CN'),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    /** When the customer proved `phone` is theirs (a code sent to it); a caller's number matches only then. */
    phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('customers_email_key').on(sql`lower(${table.email})`),
    uniqueIndex('customers_phone_key').on(table.phone),
    check('customers_locale_check', sql`${table.locale} in ('zh-CN', 'en')`),
  ],
);

export const staffMembers = pgTable(
  'staff_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale').$type<Locale>().notNull().default('zh-CN'),
    /** How many live chats the agent takes at once. */
    chatCapacity: integer('chat_capacity').notNull().default(3),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('staff_members_email_key').on(sql`lower(${table.email})`),
    check('staff_members_role_check', sql`${table.role} in ('agent', 'supervisor', 'admin', 'editor')`),
    check('staff_members_capacity_check', sql`${table.chatCapacity} between 0 and 20`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the bearer token; the token itself is never stored. */
    id: text('id').primaryKey(),
    customerId: uuid('customer_id').references(() => customers.id),
    staffId: uuid('staff_id').references(() => staffMembers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [
    index('sessions_customer_idx').on(table.customerId),
    index('sessions_staff_idx').on(table.staffId),
    check('sessions_one_principal', sql`(${table.customerId} is null) <> (${table.staffId} is null)`),
  ],
);

/** Single-use tokens sent by email (password reset, email verification), stored hashed. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: text('purpose').$type<'password_reset' | 'email_verification'>().notNull(),
    tokenHash: text('token_hash').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('email_tokens_hash_key').on(table.tokenHash),
    index('email_tokens_customer_idx').on(table.customerId, table.purpose),
    check('email_tokens_purpose_check', sql`${table.purpose} in ('password_reset', 'email_verification')`),
  ],
);

/**
 * A code texted to a number a customer wants to add, one pending per customer. Only the code's
 * HMAC is kept; wrong answers are counted.
 */
export const phoneVerifications = pgTable('phone_verifications', {
  customerId: uuid('customer_id')
    .primaryKey()
    .references(() => customers.id),
  phone: text('phone').notNull(),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
