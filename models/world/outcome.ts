/*
 * models/world/outcome.ts - what an operation did, as the kernel would react (spec section 6)
 *
 * ok: it worked. err: a clean error, no state change intended (I8 checks that).
 * warned: WARN fired, the kernel carries on (state may now be inconsistent).
 * bug: BUG()/oops - the kernel is dead. use-after-free: a freed object was touched.
 */
import type { World } from './types.ts';

export type Errno =
  | 'ENXIO'
  | 'EPERM'
  | 'EOPNOTSUPP'
  | 'EAGAIN'
  | 'EINVAL'
  | 'ENOMEM'
  | 'ENOSPC'
  | 'EBUSY'
  | 'EEXIST'
  | 'ENODEV'
  | 'ENOSYS'
  | 'ERANGE'
  | 'EIO'
  | 'ENXIO'
  | 'ENOTSUPP';

export type Outcome<T = void> =
  | { readonly kind: 'ok'; readonly world: World; readonly value: T }
  | { readonly kind: 'err'; readonly world: World; readonly errno: Errno; readonly why: string }
  | { readonly kind: 'warned'; readonly world: World; readonly why: string; readonly errno?: Errno }
  | { readonly kind: 'bug'; readonly world: World; readonly why: string }
  | { readonly kind: 'use-after-free'; readonly world: World; readonly why: string };

export type OutcomeKind = Outcome['kind'];
export type Failure = Exclude<Outcome<never>, { kind: 'ok' }>;

export const ok = <T>(world: World, value: T): Outcome<T> => ({ kind: 'ok', world, value });
export const okVoid = (world: World): Outcome<void> => ({ kind: 'ok', world, value: undefined });
export const err = (world: World, errno: Errno, why: string): Failure => ({ kind: 'err', world, errno, why });
export const warned = (world: World, why: string, errno?: Errno): Failure =>
  errno === undefined ? { kind: 'warned', world, why } : { kind: 'warned', world, why, errno };
export const bug = (world: World, why: string): Failure => ({ kind: 'bug', world, why });
export const uaf = (world: World, why: string): Failure => ({ kind: 'use-after-free', world, why });

export const isOk = <T>(o: Outcome<T>): o is Extract<Outcome<T>, { kind: 'ok' }> => o.kind === 'ok';

/** re-type a failure so it can be returned from a function with another value type */
export const fail = (o: Outcome<unknown>): Failure => o as Failure;
