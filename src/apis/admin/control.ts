import type { Call, Result } from '../../core/index.js'

export interface ClockStatus {
  readonly kind: 'system' | 'virtual'
  readonly now: number
  readonly pendingTasks: number
}

export interface TokenRequest {
  readonly sub: string
  readonly scope?: string | undefined
  readonly expiresInMs?: number | undefined
  readonly claims?: Readonly<Record<string, unknown>> | undefined
}

export interface IssuedToken {
  readonly token: string
  readonly sub: string
  readonly scope: string
  readonly expiresAt: number
}

/**
 * What the control API needs from a running simulator. The composition root implements it;
 * tests and the runner may call it directly.
 */
export interface Control {
  reset(): void
  clock(): ClockStatus
  advanceClock(ms: number): Result<ClockStatus & { fired: number }, string>
  violations(): { total: number; items: readonly object[] }
  journal(limit: number): { total: number; items: readonly object[] }
  calls(): Iterable<Call>
  call(id: string): Call | undefined
  issueToken(request: TokenRequest): Promise<IssuedToken>
}
