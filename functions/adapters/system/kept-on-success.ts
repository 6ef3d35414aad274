/**
 * `load` run on the first call and its result kept; calls while it runs share it. A failure is not kept: the next
 * call runs `load` again (a Secrets Manager hiccup at the first login must not break logins until the container is
 * recycled).
 */
export function keptOnSuccess<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      const attempt = load();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
