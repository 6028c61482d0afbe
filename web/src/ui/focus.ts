// Keyboard focus across re-renders. An action often removes the button that was pressed (Complete
// turns into Undo, an archived row leaves the list, an edit form replaces its row); the browser then
// drops focus to <body> and the next Tab starts again at the top of the page.

/** After the re-render, focuses what `find` returns, unless focus already landed somewhere usable. */
export function refocus(find: () => Element | null | undefined): void {
  setTimeout(() => {
    const active = document.activeElement as HTMLButtonElement | null;
    if (active && active !== document.body && active.isConnected && !active.disabled) return;
    (find() as HTMLElement | null | undefined)?.focus();
  });
}

/** The list item labelled by the element with id `labelId` (a task row). */
export function rowOf(labelId: string): Element | null | undefined {
  return document.getElementById(labelId)?.closest('li');
}

/** The first enabled button of the row labelled by `labelId`. */
export function rowButton(labelId: string): Element | null | undefined {
  return rowOf(labelId)?.querySelector('button:not(:disabled)');
}
