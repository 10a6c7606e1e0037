import { describe, expect, test } from 'vitest'
import {
  CALL_STATUSES,
  checkClientStatusRequest,
  checkTransition,
  Timeline,
  type Call,
  type CallSide,
  type CallStatus,
} from '../../../src/core/index.js'

/** A bare call in `status`; only the fields the status machine reads matter here. */
function callIn(status: CallStatus, side: CallSide = 'originating'): Call {
  return {
    id: 'CALL1',
    sipCallId: '1@192.0.2.1',
    side,
    originator: { address: 'tel:+15550001' },
    receiver: { address: 'tel:+15550002' },
    owner: 'tel:+15550001',
    clientCorrelator: undefined,
    via: undefined,
    scenarioId: 'default',
    createdAt: 0,
    sequence: 0,
    status,
    offer: undefined,
    answer: undefined,
    callType: undefined,
    locationDetails: undefined,
    answeredAt: undefined,
    endedAt: undefined,
    endedBy: undefined,
    endedReason: undefined,
    expiresAt: undefined,
    timeline: new Timeline(0, status, 'A', 'test'),
    dataSeed: 1,
  }
}

// The graph of docs/architecture.md written out by hand, so the test does not restate the implementation:
// a call being set up may go anywhere but back to Initial, to Hold/Resume or to Terminated (it
// is cancelled or declined instead); an answered call may be held, resumed, re-negotiated
// (Connected again), terminated or fail; a finished call never changes.
const SETUP_TARGETS: CallStatus[] = [
  'InProgress',
  'Ringing',
  'Proceeding',
  'Connected',
  'SessionCancelled',
  'Declined',
  'Failed',
  'Waiting',
  'NoAnswer',
  'NotReachable',
  'Busy',
]
const LEGAL: Record<CallStatus, readonly CallStatus[]> = {
  Initial: SETUP_TARGETS,
  InProgress: SETUP_TARGETS,
  Ringing: SETUP_TARGETS,
  Proceeding: SETUP_TARGETS,
  Waiting: SETUP_TARGETS,
  Connected: ['Connected', 'Hold', 'Terminated', 'Failed'],
  Hold: ['Resume', 'Terminated', 'Failed'],
  Resume: ['Connected', 'Hold', 'Terminated', 'Failed'],
  Terminated: [],
  SessionCancelled: [],
  Declined: [],
  Failed: [],
  NoAnswer: [],
  NotReachable: [],
  Busy: [],
}

const PAIRS = CALL_STATUSES.flatMap((from) =>
  CALL_STATUSES.map((to) => ({ from, to, legal: LEGAL[from].includes(to) })),
)

test('the graph covers every pair of the 15 CAMARA statuses', () => {
  expect(PAIRS).toHaveLength(225)
  expect(PAIRS.filter((pair) => pair.legal)).toHaveLength(5 * 11 + 4 + 3 + 4)
})

test.each(PAIRS)('$from → $to is legal: $legal', ({ from, to, legal }) => {
  const result = checkTransition(callIn(from), to)
  expect(result.ok).toBe(legal)
})

describe('checkTransition messages', () => {
  test('refuses any change to a finished call and says the call has ended', () => {
    const result = checkTransition(callIn('Terminated'), 'Hold')
    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'call-ended',
        callId: 'CALL1',
        status: 'Terminated',
        requested: 'cannot put a Terminated session on Hold; the call has already ended',
      },
    })
  })

  test('names the verb for ending statuses, so a second DELETE reads naturally', () => {
    const terminate = checkTransition(callIn('Terminated'), 'Terminated')
    const cancel = checkTransition(callIn('Declined'), 'SessionCancelled')
    const decline = checkTransition(callIn('SessionCancelled'), 'Declined')
    expect(
      !terminate.ok && terminate.error.kind === 'call-ended' && terminate.error.requested,
    ).toBe('cannot terminate a Terminated session; the call has already ended')
    expect(!cancel.ok && cancel.error.kind === 'call-ended' && cancel.error.requested).toBe(
      'cannot cancel a Declined session; the call has already ended',
    )
    expect(!decline.ok && decline.error.kind === 'call-ended' && decline.error.requested).toBe(
      'cannot decline a SessionCancelled session; the call has already ended',
    )
  })

  test('refuses a return to Initial', () => {
    expect(checkTransition(callIn('Ringing'), 'Initial')).toEqual({
      ok: false,
      error: {
        kind: 'illegal-transition',
        callId: 'CALL1',
        from: 'Ringing',
        to: 'Initial',
        reason: 'a session never returns to Initial',
      },
    })
  })

  test('refuses Hold, Resume and Terminated before the answer', () => {
    const reasons = (['Hold', 'Resume', 'Terminated'] as const).map((to) => {
      const result = checkTransition(callIn('Ringing'), to)
      return !result.ok && result.error.kind === 'illegal-transition'
        ? result.error.reason
        : undefined
    })
    expect(reasons).toEqual([
      'cannot put a Ringing session on Hold; the call has not been answered yet',
      'cannot resume a Ringing session; the call has not been answered yet',
      'cannot terminate a Ringing session; the call has not been answered yet',
    ])
  })

  test('explains the Hold and Resume rules of an answered call', () => {
    const reason = (from: CallStatus, to: CallStatus): string | undefined => {
      const result = checkTransition(callIn(from), to)
      return !result.ok && result.error.kind === 'illegal-transition'
        ? result.error.reason
        : undefined
    }
    expect(reason('Hold', 'Hold')).toBe('the session is already on Hold')
    expect(reason('Connected', 'Resume')).toBe(
      'cannot resume a Connected session; only a session on Hold can be resumed',
    )
    expect(reason('Hold', 'Connected')).toBe(
      'cannot move a session on Hold to Connected; Resume it first',
    )
    expect(reason('Connected', 'Ringing')).toBe(
      'cannot move a Connected session to Ringing; the call has already been answered',
    )
    expect(reason('Resume', 'SessionCancelled')).toBe(
      'cannot cancel a Resume session; the call has already been answered',
    )
    expect(reason('Connected', 'InProgress')).toBe(
      'cannot move a Connected session to InProgress; the call has already been answered',
    )
  })

  test('uses "an" before a status that starts with a vowel', () => {
    const initial = checkTransition(callIn('Initial'), 'Hold')
    const inProgress = checkTransition(callIn('InProgress'), 'Terminated')
    expect(!initial.ok && initial.error.kind === 'illegal-transition' && initial.error.reason).toBe(
      'cannot put an Initial session on Hold; the call has not been answered yet',
    )
    expect(
      !inProgress.ok && inProgress.error.kind === 'illegal-transition' && inProgress.error.reason,
    ).toBe('cannot terminate an InProgress session; the call has not been answered yet')
  })
})

describe('checkClientStatusRequest', () => {
  const refusal = (call: Call, to: CallStatus): string | undefined => {
    const result = checkClientStatusRequest(call, to)
    if (result.ok) return undefined
    return result.error.kind === 'status-not-settable' || result.error.kind === 'illegal-transition'
      ? result.error.reason
      : result.error.kind
  }

  test('lets the receiver report InProgress, Ringing and Connected while answering', () => {
    for (const to of [
      'InProgress',
      'Ringing',
      'Proceeding',
      'Connected',
      'Busy',
      'Declined',
    ] as const) {
      expect(checkClientStatusRequest(callIn('Initial', 'terminating'), to).ok).toBe(true)
    }
  })

  test('keeps the originator from reporting the far end while the call is set up', () => {
    expect(refusal(callIn('Ringing', 'originating'), 'Connected')).toBe(
      'Connected is reported by the receiving side; the originator cannot set it while the call is being set up',
    )
    expect(refusal(callIn('Initial', 'originating'), 'Ringing')).toBe(
      'Ringing is reported by the receiving side; the originator cannot set it while the call is being set up',
    )
  })

  test('sends both parties to DELETE for ending a call', () => {
    expect(refusal(callIn('Connected'), 'Terminated')).toBe(
      'Terminated cannot be requested with a status update; end the session with DELETE',
    )
    expect(refusal(callIn('Ringing', 'terminating'), 'SessionCancelled')).toBe(
      'SessionCancelled cannot be requested with a status update; end the session with DELETE',
    )
  })

  test('keeps network-only statuses away from clients', () => {
    for (const to of ['Waiting', 'Failed', 'NoAnswer', 'NotReachable'] as const) {
      expect(refusal(callIn('Ringing', 'terminating'), to)).toBe(
        `${to} is reported by the network and cannot be requested by a client`,
      )
    }
    expect(refusal(callIn('Connected'), 'Failed')).toBe(
      'Failed is reported by the network and cannot be requested by a client',
    )
  })

  test('lets either party hold, resume and re-negotiate an answered call', () => {
    for (const side of ['originating', 'terminating'] as const) {
      expect(checkClientStatusRequest(callIn('Connected', side), 'Hold').ok).toBe(true)
      expect(checkClientStatusRequest(callIn('Hold', side), 'Resume').ok).toBe(true)
      expect(checkClientStatusRequest(callIn('Resume', side), 'Connected').ok).toBe(true)
      expect(checkClientStatusRequest(callIn('Connected', side), 'Connected').ok).toBe(true)
    }
  })

  test('applies the status graph first, so a finished call reports that it has ended', () => {
    expect(refusal(callIn('Terminated'), 'Hold')).toBe('call-ended')
  })
})
