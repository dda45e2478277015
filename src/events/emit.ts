/**
 * Dispatches one of this package's domain events: typed by the event map,
 * bubbling and composed so a booking app can listen on the form or document.
 */
export function emit<K extends keyof GlobalEventHandlersEventMap>(
  target: HTMLElement,
  type: K,
  detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
): void {
  target.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
}
