import { h, s } from './dom.js'
import {
  LANES,
  LANE_TITLES,
  formatOffset,
  layoutLadder,
  type Lane,
  type LadderStep,
} from './ladder-layout.js'
import type { CallLadder } from './types.js'

const TIME_COLUMN = 96
const LANE_WIDTH = 230
const HEADER = 48
const ROW = 46
const WIDTH = TIME_COLUMN + LANE_WIDTH * LANES.length

const laneX = (lane: Lane): number =>
  TIME_COLUMN + LANE_WIDTH * LANES.indexOf(lane) + LANE_WIDTH / 2

/**
 * One step as a focusable group: an arrow (or a note on one lane) with its two text lines,
 * which are also its accessible name (time, label, detail, as shown).
 */
function drawStep(
  step: LadderStep,
  row: number,
  onSelect: (step: LadderStep) => void,
): SVGGElement {
  const y = HEADER + ROW * row + ROW / 2 + 8
  const x1 = laneX(step.from)
  const x2 = laneX(step.to)
  const note = step.from === step.to
  const middle = note ? x1 : (x1 + x2) / 2
  const shape = note
    ? s('rect', { x: x1 - 100, y: y - 16, width: 200, height: 24, rx: 4, class: 'note' })
    : s('line', {
        x1,
        y1: y,
        x2: x2 + (x2 > x1 ? -4 : 4),
        y2: y,
        'marker-end': `url(#head-${step.tone})`,
      })
  const group = s(
    'g',
    {
      class: `step ${step.kind} tone-${step.tone}`,
      tabindex: 0,
      role: 'button',
      'data-kind': step.kind,
      'data-status': step.status,
    },
    [
      s('rect', {
        class: 'hit',
        x: Math.min(x1, x2) - 110,
        y: y - 34,
        width: Math.abs(x2 - x1) + 220,
        height: ROW,
      }),
      s('text', { class: 'time', x: 8, y: y + 4 }, [formatOffset(step.offsetMs)]),
      shape,
      s('text', { class: 'label', x: middle, y: note ? y + 1 : y - 7, 'text-anchor': 'middle' }, [
        step.label,
      ]),
      s(
        'text',
        { class: 'detail', x: middle, y: note ? y + 22 : y + 14, 'text-anchor': 'middle' },
        [step.detail],
      ),
      step.violations > 0
        ? s('g', { class: 'badge' }, [
            s('circle', { cx: middle + 112, cy: y - 11, r: 9 }),
            s('text', { x: middle + 112, y: y - 7, 'text-anchor': 'middle' }, [
              `${step.violations}`,
            ]),
          ])
        : null,
    ],
  )
  const select = (): void => onSelect(step)
  group.addEventListener('click', select)
  group.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      select()
    }
  })
  return group
}

const marker = (tone: string): SVGMarkerElement =>
  s(
    'marker',
    {
      id: `head-${tone}`,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 8,
      markerHeight: 8,
      orient: 'auto-start-reverse',
    },
    [s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `head tone-${tone}` })],
  )

/** The ladder (sequence) diagram of one call as SVG. */
function renderLadder(ladder: CallLadder, onSelect: (step: LadderStep) => void): SVGSVGElement {
  const steps = layoutLadder(ladder)
  const height = HEADER + ROW * Math.max(steps.length, 1) + 24
  const { call } = ladder
  return s(
    'svg',
    {
      class: 'ladder',
      viewBox: `0 0 ${WIDTH} ${height}`,
      width: WIDTH,
      height,
      role: 'group',
      'aria-label': `Ladder diagram of call ${call.id}, ${call.originatorAddress} to ${call.receiverAddress}, now ${call.status}`,
    },
    [
      s('defs', {}, ['ok', 'error', 'violation', 'neutral'].map(marker)),
      ...LANES.map((lane) =>
        s('g', { class: `lane lane-${lane}` }, [
          s('line', { x1: laneX(lane), y1: HEADER - 8, x2: laneX(lane), y2: height - 8 }),
          s('text', { x: laneX(lane), y: 22, 'text-anchor': 'middle' }, [LANE_TITLES[lane]]),
        ]),
      ),
      ...steps.map((step, row) => drawStep(step, row, onSelect)),
    ],
  )
}

/** The ladder with its heading, or a note when the call is gone. */
export function renderCallDetail(
  ladder: CallLadder,
  onSelect: (step: LadderStep) => void,
): HTMLElement {
  const { call } = ladder
  return h('div', {}, [
    h('h3', {}, [`Call ${call.id}`]),
    h('p', { class: 'call-summary' }, [
      `${call.originatorAddress} → ${call.receiverAddress} · ${call.side} via ${call.via ?? 'the network'} · scenario ${call.scenarioId} · `,
      h('strong', { 'data-call-status': call.status }, [call.status]),
      call.endedReason ? ` (${call.endedReason}, ended by ${call.endedBy ?? '?'})` : '',
    ]),
    ladder.omittedExchanges > 0
      ? h('p', { class: 'ladder-omitted' }, [
          `${ladder.omittedExchanges} earlier requests about this call are left out; the journal view lists them.`,
        ])
      : null,
    h('div', { class: 'ladder-scroll' }, [renderLadder(ladder, onSelect)]),
  ])
}
