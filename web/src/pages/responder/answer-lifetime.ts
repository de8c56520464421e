import { useEffect, useRef } from 'preact/hooks';

export type ClearReason = 'timer' | 'hidden';

/**
 * Nothing stays on the device (C12): an answer on screen is removed `ttlSeconds` after it came,
 * and once the page has been hidden (another app, the screen locked) for `hiddenSeconds`. Timers
 * sleep with a hidden tab, so both are checked again the moment it is shown.
 */
export function useAnswerLifetime(shownAt: number | undefined, ttlSeconds: number, hiddenSeconds: number, clear: (reason: ClearReason) => void): void {
  const clearRef = useRef(clear);
  clearRef.current = clear;
  useEffect(() => {
    if (shownAt === undefined) return;
    let hiddenAt: number | undefined = document.visibilityState === 'hidden' ? Date.now() : undefined;
    let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
    const ttlTimer = setTimeout(() => clearRef.current('timer'), Math.max(0, shownAt + ttlSeconds * 1000 - Date.now()));
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        hiddenAt = Date.now();
        if (hiddenSeconds === 0) return clearRef.current('hidden');
        hiddenTimer = setTimeout(() => clearRef.current('hidden'), hiddenSeconds * 1000);
        return;
      }
      clearTimeout(hiddenTimer);
      if (Date.now() - shownAt >= ttlSeconds * 1000) clearRef.current('timer');
      else if (hiddenAt !== undefined && Date.now() - hiddenAt >= hiddenSeconds * 1000) clearRef.current('hidden');
      hiddenAt = undefined;
    };
    // Leaving the page (or it going into the back-forward cache) removes the answer too.
    const onPageHide = () => clearRef.current('hidden');
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      clearTimeout(ttlTimer);
      clearTimeout(hiddenTimer);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
    };
  }, [shownAt, ttlSeconds, hiddenSeconds]);
}
