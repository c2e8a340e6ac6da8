/** What a registry needs of a panel. */
export interface RegisteredPanel {
  /** Brings the panel to the front. */
  reveal(): void;
  /** Asks the server again and updates the page. */
  refresh(): Promise<void>;
  /** Closes the panel (its dispose handler calls `forget`). */
  close(): void;
}

/**
 * One panel per key (a document's or a folder's URI): asked for again, the open one is revealed
 * and refreshed instead of opening a second one.
 */
export class PanelRegistry<P extends RegisteredPanel> {
  private readonly panels = new Map<string, P>();

  show(key: string, create: () => P): P {
    const existing = this.panels.get(key);
    if (existing) {
      existing.reveal();
      void existing.refresh();
      return existing;
    }
    const panel = create();
    this.panels.set(key, panel);
    return panel;
  }

  /** Refreshes the panel of `key`, if one is open (its data changed). */
  refresh(key: string): void {
    void this.panels.get(key)?.refresh();
  }

  forget(key: string): void {
    this.panels.delete(key);
  }

  closeAll(): void {
    for (const panel of [...this.panels.values()]) panel.close();
  }
}
