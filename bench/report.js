// Turns the measurements into the table, the ratios and the target verdicts the bench prints.

/** The targets of issue 8, checked against the ceiling measured in the same run. */
export const TARGETS = {
  reqPerSecRatio: 0.8,
  p99Ratio: 1.5,
  startupMs: 300,
  idleRssMb: 100,
  /** With the web console open, callsim keeps this share of its throughput (issue 20). */
  withConsoleRatio: 0.95,
  /** Against the checkout given with --baseline-dir, callsim keeps this share (issue 16). */
  baselineCheckoutRatio: 0.9,
}

export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * One server's rounds reduced to one result: the median of every figure, the sum of every
 * failure count; the rounds themselves are kept for the JSON report.
 */
export function medianOf(rounds) {
  const first = rounds[0]
  if (rounds.length === 1) return first
  const route = (name) => {
    const runs = rounds.map((round) => round[name])
    const pick = (field) => median(runs.map((run) => run[field]))
    const sum = (field) => runs.reduce((total, run) => total + run[field], 0)
    return {
      requests: sum('requests'),
      reqPerSec: pick('reqPerSec'),
      p50Ms: pick('p50Ms'),
      p99Ms: pick('p99Ms'),
      cpuUsPerRequest: pick('cpuUsPerRequest'),
      maxMs: Math.max(...runs.map((run) => run.maxMs)),
      ok2xx: sum('ok2xx'),
      non2xx: sum('non2xx'),
      errors: sum('errors'),
      timeouts: sum('timeouts'),
      seconds: sum('seconds'),
    }
  }
  return {
    id: first.id,
    label: first.label,
    startupMs: median(rounds.map((round) => round.startupMs)),
    idleRssMb: median(rounds.map((round) => round.idleRssMb)),
    peakRssMb: median(rounds.map((round) => round.peakRssMb)),
    get: route('get'),
    post: route('post'),
    rounds,
  }
}

const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-')

function table(rows) {
  const widths = rows[0].map((_, column) =>
    Math.max(...rows.map((row) => String(row[column]).length)),
  )
  return rows
    .map((row, index) => {
      const line = row
        .map((cell, column) =>
          column === 0
            ? String(cell).padEnd(widths[column])
            : String(cell).padStart(widths[column]),
        )
        .join('  ')
      return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line
    })
    .join('\n')
}

/** One line per target and route: throughput, latency, start-up, memory and failures. */
export function formatResults(results) {
  const rows = [
    [
      'server',
      'route',
      'req/s',
      'p50 ms',
      'p99 ms',
      'CPU µs/req',
      'start ms',
      'idle MB',
      'peak MB',
      'non-2xx',
      'errors',
    ],
  ]
  for (const result of results) {
    for (const route of ['get', 'post']) {
      const run = result[route]
      if (!run) continue
      rows.push([
        result.id,
        route === 'get' ? 'GET /sessions/{id}' : 'POST /sessions',
        fixed(run.reqPerSec),
        fixed(run.p50Ms, 1),
        fixed(run.p99Ms, 1),
        fixed(run.cpuUsPerRequest),
        fixed(result.startupMs),
        fixed(result.idleRssMb),
        fixed(result.peakRssMb),
        run.non2xx,
        run.errors + run.timeouts,
      ])
    }
  }
  return table(rows)
}

const roundsOf = (result) => result.rounds ?? [result]

/**
 * Each round's [own, other] figures as ratios own / other, reduced to their median and range.
 * @param {[number, number][]} pairs
 * @returns {{ median: number, range: [number, number] }}
 */
export function roundRatios(pairs) {
  const ratios = pairs.map(([own, other]) => own / other).filter(Number.isFinite)
  return { median: median(ratios), range: [Math.min(...ratios), Math.max(...ratios)] }
}

/**
 * callsim's req/s and p99 relative to each baseline, and the verdict on every target. With
 * several rounds, each round's callsim run is compared with the baseline run of the same round
 * (minutes apart at most) and the median of those ratios is reported with their range: on a
 * shared VM a burst of load elsewhere moves a whole round, and a ratio within one round
 * cancels most of it where a ratio of two medians does not.
 */
export function compareToBaselines(results) {
  const callsim = results.find((result) => result.id === 'callsim')
  if (!callsim) return { ratios: [], verdicts: [] }
  const ratios = []
  for (const baseline of results) {
    if (baseline === callsim) continue
    const pairs = roundsOf(callsim)
      .map((round, index) => [round, roundsOf(baseline)[index]])
      .filter(([, other]) => other)
    for (const route of ['get', 'post']) {
      if (!callsim[route] || !baseline[route]) continue
      const perRound = (field) =>
        roundRatios(pairs.map(([own, other]) => [own[route][field], other[route][field]]))
      const reqPerSec = perRound('reqPerSec')
      const p99 = perRound('p99Ms')
      const cpu = perRound('cpuUsPerRequest')
      ratios.push({
        baseline: baseline.id,
        route,
        reqPerSec: reqPerSec.median,
        p99: p99.median,
        cpuPerRequest: cpu.median,
        reqPerSecRange: reqPerSec.range,
        p99Range: p99.range,
        cpuPerRequestRange: cpu.range,
      })
    }
  }
  const verdicts = []
  for (const ratio of ratios.filter((r) => r.baseline === 'express-ceiling')) {
    verdicts.push({
      target: `${ratio.route.toUpperCase()} req/s ≥ ${TARGETS.reqPerSecRatio * 100}% of the Express ceiling`,
      value: `${fixed(ratio.reqPerSec * 100)}%`,
      met: ratio.reqPerSec >= TARGETS.reqPerSecRatio,
    })
    verdicts.push({
      target: `${ratio.route.toUpperCase()} p99 ≤ ${TARGETS.p99Ratio}× the Express ceiling's`,
      value: `${fixed(ratio.p99, 2)}×`,
      met: ratio.p99 <= TARGETS.p99Ratio,
    })
  }
  // callsim vs callsim with the console open: the ratio is without/with, so its inverse is
  // the share of throughput callsim keeps with a console connected.
  // The rounds' range says how far the host's own noise moves one run's figure.
  for (const ratio of ratios.filter((r) => r.baseline === 'callsim-console')) {
    const kept = 1 / ratio.reqPerSec
    const range = [...ratio.reqPerSecRange]
      .reverse()
      .map((value) => `${fixed(100 / value)}%`)
      .join('–')
    verdicts.push({
      target: `${ratio.route.toUpperCase()} req/s with the console open ≥ ${TARGETS.withConsoleRatio * 100}% of without`,
      value: `${fixed(kept * 100)}% (rounds ${range})`,
      met: kept >= TARGETS.withConsoleRatio,
    })
  }
  // callsim against itself at another commit (--baseline-dir): the share of its throughput
  // this checkout keeps, round by round.
  for (const ratio of ratios.filter((r) => r.baseline === 'callsim-baseline')) {
    const range = ratio.reqPerSecRange.map((value) => `${fixed(value * 100)}%`).join('–')
    verdicts.push({
      target: `${ratio.route.toUpperCase()} req/s ≥ ${TARGETS.baselineCheckoutRatio * 100}% of the --baseline-dir checkout's`,
      value: `${fixed(ratio.reqPerSec * 100)}% (rounds ${range})`,
      met: ratio.reqPerSec >= TARGETS.baselineCheckoutRatio,
    })
  }
  verdicts.push({
    target: `start-up ≤ ${TARGETS.startupMs} ms to the first 2xx`,
    value: `${fixed(callsim.startupMs)} ms`,
    met: callsim.startupMs <= TARGETS.startupMs,
  })
  verdicts.push({
    target: `idle RSS ≤ ${TARGETS.idleRssMb} MB`,
    value: `${fixed(callsim.idleRssMb)} MB`,
    met: callsim.idleRssMb <= TARGETS.idleRssMb,
  })
  const failures = [callsim.get, callsim.post]
    .filter(Boolean)
    .reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0)
  verdicts.push({
    target: 'no errors or non-2xx answers from callsim',
    value: String(failures),
    met: failures === 0,
  })
  return { ratios, verdicts }
}

export function formatComparison({ ratios, verdicts }) {
  if (ratios.length === 0) return ''
  const ratioRows = [
    ['callsim vs', 'route', 'req/s ratio', 'range', 'p99 ratio', 'range', 'CPU/req ratio', 'range'],
  ]
  const range = ([low, high], format) => (low === high ? '' : `${format(low)}–${format(high)}`)
  const percent = (value) => `${fixed(value * 100)}%`
  const times = (value) => `${fixed(value, 2)}×`
  for (const ratio of ratios) {
    ratioRows.push([
      ratio.baseline,
      ratio.route.toUpperCase(),
      percent(ratio.reqPerSec),
      range(ratio.reqPerSecRange, percent),
      times(ratio.p99),
      range(ratio.p99Range, times),
      times(ratio.cpuPerRequest),
      range(ratio.cpuPerRequestRange, times),
    ])
  }
  const verdictRows = [['target', 'measured', 'met']]
  for (const verdict of verdicts)
    verdictRows.push([verdict.target, verdict.value, verdict.met ? 'yes' : 'NO'])
  return `${table(ratioRows)}\n\n${table(verdictRows)}`
}
