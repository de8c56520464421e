/**
 * While a request runs, its button is disabled, and a browser moves the focus of a disabled
 * element to the page itself: a keyboard or screen-reader user pressing `Find patient`, `Show
 * events` or `Save` was left at the top of the page with nothing focused. This gives the focus
 * back to that control when it is enabled again, unless the page has moved the focus elsewhere
 * meanwhile (a heading, an error summary, a status line) or removed the control.
 */
export function keepFocusThroughBusyControls(root: Document = document): () => void {
  let lastFocused: Element | null = null;
  const onFocusIn = (event: FocusEvent) => {
    lastFocused = event.target instanceof Element ? event.target : null;
  };
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const target = mutation.target as HTMLElement;
      if (target !== lastFocused || target.hasAttribute('disabled') || !target.isConnected) continue;
      const active = root.activeElement;
      if (active === null || active === root.body) target.focus();
    }
  });
  root.addEventListener('focusin', onFocusIn);
  observer.observe(root.body, { subtree: true, attributes: true, attributeFilter: ['disabled'] });
  return () => {
    root.removeEventListener('focusin', onFocusIn);
    observer.disconnect();
  };
}
