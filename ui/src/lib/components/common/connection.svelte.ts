// What the app knows about its connection to the council, shared between screens.
// The status bar keeps it up to date from the core's sync status.

export const connection = $state({
  /** False when the last attempt could not reach the council. */
  online: true,
});
