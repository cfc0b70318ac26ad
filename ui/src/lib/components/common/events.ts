// Keeps a component listening to the core's events until it goes away.

type Stop = () => void;

/**
 * Starts the given subscriptions (from the ipc module's `on…` functions) and returns one
 * function that stops them all, including any that had not finished starting yet.
 */
export function keepListening(...subscriptions: Array<Promise<Stop>>): Stop {
  let stopped = false;
  const stops: Stop[] = [];
  for (const subscription of subscriptions) {
    subscription
      .then((stop) => {
        if (stopped) stop();
        else stops.push(stop);
      })
      .catch(() => {
        // Without the event the screen still works; it just updates less eagerly.
      });
  }
  return () => {
    stopped = true;
    for (const stop of stops.splice(0)) stop();
  };
}
