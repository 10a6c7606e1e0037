/** A tiny element builder: the console's views are small enough not to need a view library. */

type Child = Node | string | number | null | undefined | false
type Attributes = Readonly<Record<string, string | number | boolean | undefined>>
type Handlers = Readonly<Record<string, (event: Event) => void>>

function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.append(typeof child === 'number' ? String(child) : child)
  }
}

function setAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
}

/** An HTML element with attributes, `on` handlers and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: readonly Child[] = [],
  on: Handlers = {},
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  setAttributes(element, attributes)
  for (const [type, handler] of Object.entries(on)) element.addEventListener(type, handler)
  append(element, children)
  return element
}

const SVG_NS = 'http://www.w3.org/2000/svg'

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: readonly Child[] = [],
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag)
  setAttributes(element, attributes)
  append(element, children)
  return element
}

/** The element with `id`; the page's HTML declares every one the script looks up. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id)
  if (!element)
    throw new Error(`The console page has no #${id}; index.html and the script disagree.`)
  return element as T
}

/**
 * Runs `task` so that runs never overlap and requests made meanwhile fold into one more run.
 * While it runs, `region` carries aria-busy="true", so that a screen reader waits for the new
 * content instead of reading half of it (and a test can wait for a settled page).
 */
export function createRefresher(task: () => Promise<void>, region: HTMLElement): () => void {
  let running = false
  let again = false
  const run = async (): Promise<void> => {
    running = true
    region.setAttribute('aria-busy', 'true')
    do {
      again = false
      try {
        await task()
      } catch (error) {
        console.error(error)
      }
    } while (again)
    region.removeAttribute('aria-busy')
    running = false
  }
  return () => {
    if (running) again = true
    else void run()
  }
}
