/** The control API's shapes as the console reads them (spec/callsim-admin.yaml). */

export interface ClockStatus {
  readonly kind: 'system' | 'virtual'
  readonly now: string
  readonly pendingTasks: number
  readonly nextDueAt?: string
  readonly fired?: number
}

export interface TimelineEntry {
  readonly at: string
  readonly from: string | null
  readonly to: string
  readonly by: 'A' | 'B' | 'S'
  readonly cause: string
}

export interface AdminCall {
  readonly id: string
  readonly sipCallId: string
  readonly side: 'originating' | 'terminating'
  readonly originatorAddress: string
  readonly receiverAddress: string
  readonly owner?: string
  readonly via?: string
  readonly status: string
  readonly scenarioId: string
  readonly createdAt: string
  readonly endedBy?: 'A' | 'B' | 'S'
  readonly endedReason?: string
  readonly timeline: readonly TimelineEntry[]
}

/** A call as the calls view lists it (`timeline=false`). */
export type CallRow = Omit<AdminCall, 'timeline'>

interface Violation {
  readonly direction: string
  readonly operationId: string
  readonly location: string
  readonly path: string
  readonly keyword: string
  readonly message: string
}

export interface JournalEntry {
  readonly seq: number
  readonly at: string
  readonly method: string
  readonly path: string
  readonly face?: string
  readonly operationId?: string
  readonly status: number
  readonly durationMs: number
  readonly correlator?: string
  readonly requestViolations: readonly Violation[]
  readonly responseViolations: readonly Violation[]
  readonly scenarioId?: string
  readonly fault?: string
  readonly callId?: string
  readonly requestBody?: string
  readonly responseBody?: string
  readonly requestBodyDropped?: true
  readonly responseBodyDropped?: true
}

export interface Delivery {
  readonly seq: number
  readonly at: string
  readonly eventType: string
  readonly sink: string
  readonly attempt: number
  readonly result: 'delivered' | 'failed' | 'gave-up' | 'rejected' | 'not-sent'
  readonly status?: number
  readonly error?: string
  readonly latencyMs?: number
  readonly nextAttemptAt?: string
  readonly event: unknown
}

export interface CallLadder {
  readonly call: AdminCall
  readonly exchanges: readonly JournalEntry[]
  readonly omittedExchanges: number
  readonly deliveries: readonly Delivery[]
  readonly now: string
}

export interface ChangeBatch {
  readonly calls: readonly string[]
  readonly moreCalls: boolean
  readonly createdOrExpired: boolean
  readonly ladders: readonly string[]
  readonly moreLadders: boolean
  readonly journal: boolean
  readonly deliveries: boolean
  readonly scenarios: boolean
  readonly reset: boolean
  readonly clock: ClockStatus
  /** Whether the call the stream was opened for (`?call=`) changed; absent without one. */
  readonly callChanged?: boolean
}

export interface ScenarioSummary {
  readonly id: string
  readonly description: string
}

export interface Activations {
  readonly global: string | null
  readonly subscribers: readonly { readonly subscriber: string; readonly scenarioId: string }[]
}
